"""AppTest of a message's file on both message pages: a family sends a PDF with a new thread,
a text renamed .pdf is refused in French with nothing written, reception answers with a PNG,
and each side finds the other's file as a download in the thread."""
from __future__ import annotations

import io

import pytest

from services import registrations
from services.documents import storage
from services.messages import attachments, threads, writing
from services.messages.attachments import Upload
from tests.pages.apptest import page_as, shown, texts
from tests.pages.test_message_pages import DESK, FAMILY
from tests.services.test_document_uploads import PDF, PNG


@pytest.fixture
def built(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.world import build

    w = build()
    reg = registrations.request_registration(w.family_b, w.zoe, w.period_peri)
    registrations.decide(w.staff, reg, validate=True)
    return w


def _downloads(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [shown(b.label) for b in at.get("download_button")]


def test_a_family_sends_a_file_with_a_new_message(built):
    at = page_as("pages/family_messages.py", FAMILY)
    at.text_input[0].input("Certificat")
    at.text_area[0].input("Voici le certificat.")
    at.file_uploader(key="new_thread_file").set_value(("note.pdf", b"juste du texte\n",
                                                       "application/pdf"))
    at.button[0].click().run()
    assert not at.exception
    refusal = shown(" ".join(str(e.value) for e in at.error))
    assert "n'est pas accepté : envoyez un PDF" in refusal
    assert threads.list_threads(built.family_b) == [] and list(storage.folder().iterdir()) == []
    at.text_input[0].input("Certificat")
    at.text_area[0].input("Voici le certificat.")
    at.file_uploader(key="new_thread_file").set_value(("certificat.pdf", PDF,
                                                       "application/pdf"))
    at.button[0].click().run()
    assert not at.exception
    assert "Message envoyé à l'accueil" in texts(at)
    assert _downloads(at) == ["certificat.pdf (1 Ko)"]
    [thread] = threads.list_threads(built.family_b)
    [message] = threads.get_thread(built.family_b, thread.id).messages
    assert attachments.get_file(built.family_b, message.attachment_id).data == PDF


def test_reception_answers_with_a_file_and_reads_the_familys(built):
    thread = writing.start_thread(built.family_b, "Allergie", "Le PAI est joint.",
                                  Upload(io.BytesIO(PDF), "pai.pdf"))
    at = page_as("pages/staff_messages.py", DESK)
    at.button(key=f"thread_{thread}").click().run()
    assert _downloads(at) == ["pai.pdf (1 Ko)"]
    at.text_area[0].input("Merci, voici le menu adapté.")
    at.file_uploader(key=f"reply_file_{thread}").set_value(("menu.png", PNG, "image/png"))
    at.button[1].click().run()  # "Envoyer" (the first button is "Retour")
    assert not at.exception and "Message envoyé." in texts(at)
    assert _downloads(at) == ["pai.pdf (1 Ko)", "menu.png (1 Ko)"]
    family = page_as("pages/family_messages.py", FAMILY)
    family.button(key=f"thread_{thread}").click().run()
    assert _downloads(family) == ["pai.pdf (1 Ko)", "menu.png (1 Ko)"]
