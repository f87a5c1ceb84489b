"""Attachments are stored on disk under their checksum and never lost."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.db.models import ProtectedError

from tests.conftest import register
from xinfang.matters import services
from xinfang.matters.errors import InvalidInput, NotFound
from xinfang.matters.models import Attachment, Matter

SCAN = b"%PDF-1.4\n" + b"scan of a handwritten letter\n" * 100


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(data: bytes = SCAN, name: str = "来信扫描件.pdf") -> services.Upload:
    return services.Upload(name=name, stream=io.BytesIO(data), content_type="application/pdf")


def test_registration_stores_a_letters_scan_with_its_checksum(world):
    matter = register(world, attachments=[upload()])
    (stored,) = matter.attachments.all()
    assert stored.sha256 == hashlib.sha256(SCAN).hexdigest()
    assert stored.size == len(SCAN)
    assert stored.original_name == "来信扫描件.pdf"
    assert stored.event.kind == "registered"
    with stored.file.open("rb") as fh:
        assert fh.read() == SCAN
    # No petitioner text in the path on disk: only the checksum.
    assert stored.file.name.startswith(f"attachments/{stored.sha256[:2]}/{stored.sha256}")


def test_attachment_added_later_is_on_the_timeline(world):
    matter = register(world)
    before = matter.events.count()
    stored = services.attachment_add(
        matter=matter, actor=world.registrar, upload=upload(b"photo bytes", "现场照片.jpg")
    )
    assert matter.events.count() == before + 1
    assert stored.event.kind == "attached"
    assert not stored.event.is_public


def test_an_oversized_attachment_refuses_the_whole_registration(world, settings):
    settings.XINFANG_MAX_ATTACHMENT_BYTES = 100
    with pytest.raises(InvalidInput, match="超过"):
        register(world, attachments=[upload()])
    assert not Matter.objects.exists()
    assert not Attachment.objects.exists()


def test_an_empty_attachment_is_refused(world):
    with pytest.raises(InvalidInput, match="空文件"):
        register(world, attachments=[upload(b"")])
    assert not Matter.objects.exists()


def test_outsider_cannot_attach_to_a_matter_outside_their_scope(world):
    matter = register(world)
    with pytest.raises(NotFound):
        services.attachment_add(matter=matter, actor=world.outsider, upload=upload())
    assert not Attachment.objects.exists()


def test_attachments_cannot_be_deleted_with_their_matter(world):
    matter = register(world, attachments=[upload()])
    with pytest.raises(ProtectedError):
        matter.delete()
    assert Attachment.objects.count() == 1
