"""Where trained classifiers are kept, and which one the server uses now.

Each trained model is a ModelVersion row and a joblib file under the model directory
(settings.XINFANG_ROUTING_MODEL_DIR, default DATA_DIR/routing). The server checks the office's
newest version number at most every few seconds and loads a new file when it changes.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings

from xinfang.routing.core.classify import Classifier, KeywordClassifier
from xinfang.routing.models import ModelVersion

log = logging.getLogger(__name__)

CHECK_SECONDS = 5.0
RULES = KeywordClassifier()

_lock = threading.Lock()
# office pk → (checked at, version number or 0, classifier)
_current: dict[int, tuple[float, int, Classifier]] = {}


def model_dir() -> Path:
    configured = getattr(settings, "XINFANG_ROUTING_MODEL_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "routing"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load(version: ModelVersion) -> Classifier:
    path = model_dir() / version.path
    if sha256_of(path) != version.sha256:
        raise ValueError(f"model file {path} does not match its recorded checksum")
    from xinfang.routing.core.learn import LearnedClassifier  # scikit-learn: only when needed

    classifier: Any = joblib.load(path)
    if not isinstance(classifier, LearnedClassifier):
        raise TypeError(f"model file {path} holds a {type(classifier).__name__}, not a classifier")
    classifier.name = f"model v{version.number}"
    return classifier  # type: ignore[no-any-return]


def forget() -> None:
    with _lock:
        _current.clear()


def classifier_for(office_id: int) -> Classifier:
    """The office's newest active trained model, or the shipped rules when it has none (or
    its file cannot be read: suggestions never stop because of a broken model file)."""
    now = time.monotonic()
    cached = _current.get(office_id)
    if cached is not None and now - cached[0] < CHECK_SECONDS:
        return cached[2]
    newest = (
        ModelVersion.objects.filter(office_id=office_id, is_active=True).order_by("-number").first()
    )
    number = newest.number if newest else 0
    if cached is not None and cached[1] == number:
        classifier = cached[2]
    elif newest is None:
        classifier = RULES
    else:
        try:
            classifier = load(newest)
        except Exception:
            # Whatever is wrong with the file (missing, damaged, cannot be unpickled here: a
            # module or class renamed since it was trained), suggestions go on with the rules.
            log.exception("routing model v%s of office %s not loaded", number, office_id)
            classifier = RULES
    with _lock:
        _current[office_id] = (now, number, classifier)
    return classifier
