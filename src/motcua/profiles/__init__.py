"""Province profiles: one TOML file per regulation the System implements (SPEC §2, §3.26)."""

from .loader import Profile, ProfileError, active_profile, load_profile, profile_names

__all__ = ["Profile", "ProfileError", "active_profile", "load_profile", "profile_names"]
