"""All tables; importing this package registers every model on Base.metadata."""
from db.models.booking import Registration, Reservation
from db.models.catalogue import (Activity, ActivityType, AgeGroup, CapacitySlot, Closure,
                                 NewsItem, Organisation, Period, QfBracket, Site, Tariff, Unit)
from db.models.documents import AbsenceNotice, DocumentType, FileToDiscard
from db.models.health import ConsentAnswer, ConsentKind, HealthSheet, PickupPerson
from db.models.messages import Message, MessageAttachment, MessageThread
from db.models.money import (Charge, Invoice, InvoiceCounter, InvoiceLine, Payment,
                             PaymentAllocation)
from db.models.payments import CreditOrigin, PaymentLine, PaymentLink
from db.models.people import (ChangeRequest, Child, ChildHousehold, Document, Family, Guardian, LinkToken,
                              SessionToken, StaffSite, UserAccount)
from db.models.queue import BookingRequest
from db.models.reminders import ReminderPreference, ReminderSent
from db.models.reports import Promotion
from db.models.system import AuditEntry, Mail, Throttle

__all__ = [
    "AbsenceNotice", "Activity", "ActivityType", "AgeGroup", "AuditEntry", "BookingRequest",
    "CapacitySlot", "ChangeRequest", "Charge", "Child", "ChildHousehold", "Closure",
    "ConsentAnswer", "ConsentKind",
    "CreditOrigin", "Document", "DocumentType", "Family", "FileToDiscard", "Guardian", "HealthSheet", "Invoice",
    "InvoiceCounter", "InvoiceLine", "LinkToken", "Mail", "Message", "MessageAttachment",
    "MessageThread",
    "NewsItem", "Organisation",
    "Payment", "PaymentAllocation", "PaymentLine", "PaymentLink", "Period", "PickupPerson",
    "Promotion", "QfBracket", "Registration", "ReminderPreference",
    "ReminderSent", "Reservation", "SessionToken", "Site",
    "StaffSite", "Tariff", "Throttle", "Unit", "UserAccount",
]
