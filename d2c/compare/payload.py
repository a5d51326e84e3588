"""One provider parameter changed by name: the payload of a user's shell, and the sensitivity's overrides.

Names follow the preset layout (``satellite.beams_per_satellite``,
``constellation.altitude_km``, ``handset.eirp_dbm``, ``losses.shadow_margin_db``,
``elevation_mask_deg``), so a comparison file, a preset and a report speak
of a figure the same way.
"""

from __future__ import annotations

from dataclasses import replace

from d2c.space import Provider

__all__ = ["PARAMETERS", "with_parameter", "parameter_value"]

# name -> (where it lives: "provider" or "radio" or "losses", attribute, integer?)
PARAMETERS: dict[str, tuple[str, str, bool]] = {
    "satellite.beams_per_satellite": ("provider", "beams_per_satellite", True),
    "satellite.beam_radius_km": ("provider", "beam_radius_km", False),
    "satellite.eirp_density_dbw_per_mhz": ("radio", "sat_eirp_density_dbw_per_mhz", False),
    "satellite.gt_db_per_k": ("radio", "sat_gt_db_per_k", False),
    "satellite.channel_bandwidth_mhz": ("radio", "channel_bandwidth_mhz", False),
    "handset.eirp_dbm": ("radio", "ue_eirp_dbm", False),
    "handset.gt_db_per_k": ("radio", "ue_gt_db_per_k", False),
    "handset.uplink_bandwidth_mhz": ("radio", "ue_uplink_bandwidth_mhz", False),
    "losses.atmospheric_loss_db": ("losses", "atmospheric_loss_db", False),
    "losses.shadow_margin_db": ("losses", "shadow_margin_db", False),
    "losses.scintillation_loss_db": ("losses", "scintillation_loss_db", False),
    "losses.polarization_loss_db": ("losses", "polarization_loss_db", False),
    "losses.additional_loss_db": ("losses", "additional_loss_db", False),
    "elevation_mask_deg": ("provider", "elevation_mask_deg", False),
    "gateway_mask_deg": ("provider", "gateway_mask_deg", False),
    "constellation.altitude_km": ("provider", "altitude_km", False),
}


def parameter_value(provider: Provider, name: str) -> float:
    """The provider's current value of parameter ``name``.

    >>> from d2c.space import Provider
    >>> parameter_value(Provider.from_walker("53:24/3/1", 550), "satellite.beams_per_satellite")
    19.0
    """
    where, attr, _ = PARAMETERS[name]
    holder = provider if where == "provider" else provider.radio if where == "radio" else provider.radio.losses
    return float(getattr(holder, attr))


def with_parameter(provider: Provider, name: str, value: float) -> Provider:
    """A copy of ``provider`` with parameter ``name`` set to ``value`` (ValueError for an unknown name).

    >>> from d2c.space import Provider
    >>> with_parameter(Provider.from_walker("53:24/3/1", 550), "satellite.beams_per_satellite", 7).beams_per_satellite
    7
    """
    if name not in PARAMETERS:
        raise ValueError(f"unknown parameter {name!r}: one of {', '.join(PARAMETERS)}")
    where, attr, whole = PARAMETERS[name]
    value = int(round(value)) if whole else float(value)
    if where == "provider":
        if name == "constellation.altitude_km" and provider.walker is None:
            raise ValueError(f"{provider.name} is defined by TLEs; its altitude cannot be changed")
        return replace(provider, **{attr: value})
    if where == "radio":
        return replace(provider, radio=replace(provider.radio, **{attr: value}))
    return replace(provider, radio=replace(provider.radio, losses=replace(provider.radio.losses, **{attr: value})))
