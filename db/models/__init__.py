"""All tables; importing this package registers every model on Base.metadata."""
from db.models.booking import Registration, Reservation
from db.models.catalogue import (Activity, ActivityType, AgeGroup, CapacitySlot, Closure,
                                 NewsItem, Organisation, Period, QfBracket, Site, Tariff, Unit)
from db.models.money import Charge, Invoice, Payment, PaymentAllocation
from db.models.payments import CreditOrigin, PaymentLine, PaymentLink
from db.models.people import (ChangeRequest, Child, Document, Family, Guardian, LinkToken,
                              SessionToken, StaffSite, UserAccount)
from db.models.reminders import ReminderPreference, ReminderSent
from db.models.reports import Promotion
from db.models.system import AuditEntry, Mail, Throttle

__all__ = [
    "Activity", "ActivityType", "AgeGroup", "AuditEntry", "CapacitySlot", "ChangeRequest",
    "Charge", "Child", "Closure", "CreditOrigin", "Document", "Family", "Guardian", "Invoice",
    "LinkToken", "Mail", "NewsItem", "Organisation", "Payment", "PaymentAllocation", "PaymentLine",
    "PaymentLink", "Period", "Promotion", "QfBracket", "Registration", "ReminderPreference",
    "ReminderSent", "Reservation",
    "SessionToken", "Site", "StaffSite", "Tariff", "Throttle", "Unit", "UserAccount",
]
