"""The message as it leaves: multipart/alternative with the plain-text body as it is stored
(the link unmasked) and its HTML rendering; the centre's logo, when there is one, travels
inside the message (multipart/related, Content-ID), since mail readers block remote images."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from services.centre_logo import Logo
from services.mail import html
from services.organisation import Profile


def build(sender: str, recipient: str, subject: str, body: str, profile: Profile,
          logo: Logo | None) -> EmailMessage:
    """One mail, ready for SMTP."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    cid = make_msgid(domain="portail-famille.invalid")[1:-1] if logo else ""
    message.add_alternative(html.render(subject, body, profile, cid), subtype="html")
    if logo:
        html_part = message.get_payload()[1]
        html_part.add_related(logo.data, maintype="image", subtype=logo.subtype,
                              cid=f"<{cid}>", disposition="inline",
                              filename=f"logo.{'jpg' if logo.subtype == 'jpeg' else 'png'}")
    return message
