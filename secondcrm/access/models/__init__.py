"""The access app's tables: who people are (users, roles) and what they may do (profiles, sharing)."""

from .audit import AuditEntry
from .profiles import FieldRight, ModuleRight, Profile
from .sharing import HiddenField, SharingDefault, SharingRule
from .users import CURRENCIES, LoginHistory, Role, User, time_zone_choices

__all__ = [
    "CURRENCIES",
    "AuditEntry",
    "FieldRight",
    "HiddenField",
    "LoginHistory",
    "ModuleRight",
    "Profile",
    "Role",
    "SharingDefault",
    "SharingRule",
    "User",
    "time_zone_choices",
]
