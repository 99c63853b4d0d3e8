"""Screenshots decoded off the GUI thread: thumbnails for the gallery, full images for the side-by-side view.

A run of 30 devices × 10 screenshots is 300 phone-sized images; decoding one takes tens of milliseconds,
so the GUI thread never opens an image file. `ImageLoader` hands each file to a small thread pool of its
own (QImageReader with a scaled size, so a thumbnail never holds the full image), and the decoded image
comes back by a queued signal. Until then the gallery shows a placeholder. Pixmaps are kept in an LRU
cache bounded in bytes. A result asked for by a submission no longer on show is dropped, and its queued
decodes are never started.

Screenshot and listing files are untrusted: a file too large, an image with too many pixels or one that
does not decode gives a one-line reason for that image and nothing else.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections import OrderedDict, deque
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QThread, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPixmap

THUMB_SIZE = QSize(72, 156)  # the box a thumbnail fits in (phone screens are about 1:2.2)
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a phone or tablet screenshot is under 10 million
ALLOCATION_LIMIT_MB = 256  # what QImageReader may allocate for one image
THUMB_CACHE_BYTES = 96 * 1024 * 1024  # about 1,200 thumbnails
FULL_CACHE_BYTES = 160 * 1024 * 1024  # about 16 full phone screenshots


class ImageKey(NamedTuple):
    """One decoded form of one file: its thumbnail (`full` false) or the whole image. (A tuple: hundreds
    are hashed while a run is shown.)"""

    path: str
    full: bool = False


def decode_image(path: str, box: QSize | None) -> QImage | str:
    """The image in `path` scaled to fit `box` (None: at full size), or why it cannot be shown, in one line.

    Runs on a pool thread. Scaling happens while decoding where the format allows it (JPEG), so a
    thumbnail never holds the full image; the size and pixel caps are checked before anything is decoded.
    """
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        return QCoreApplication.translate("DeviceImages", "the file cannot be read: %1").replace(
            "%1", exc.strerror or type(exc).__name__
        )
    if size > MAX_FILE_BYTES:
        return QCoreApplication.translate("DeviceImages", "the file is larger than %1 MB").replace(
            "%1", str(MAX_FILE_BYTES // (1024 * 1024))
        )
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    declared = reader.size()
    if not declared.isValid() or declared.isEmpty():
        return QCoreApplication.translate("DeviceImages", "not an image: %1").replace("%1", reader.errorString())
    if declared.width() * declared.height() > MAX_PIXELS:
        return (
            QCoreApplication.translate("DeviceImages", "the image has too many pixels (%1 × %2)")
            .replace("%1", str(declared.width()))
            .replace("%2", str(declared.height()))
        )
    if box is not None and (declared.width() > box.width() or declared.height() > box.height()):
        scaled = declared.scaled(box, Qt.AspectRatioMode.KeepAspectRatio)
        reader.setScaledSize(QSize(max(scaled.width(), 1), max(scaled.height(), 1)))
    image = reader.read()
    if image.isNull():
        return QCoreApplication.translate("DeviceImages", "the image does not decode: %1").replace(
            "%1", reader.errorString()
        )
    return image


class PixmapCache:
    """Least recently used pixmaps, bounded by the bytes they hold."""

    def __init__(self, budget_bytes: int) -> None:
        self.budget_bytes = budget_bytes
        self._items: OrderedDict[ImageKey, QPixmap] = OrderedDict()
        self._bytes = 0

    def get(self, key: ImageKey) -> QPixmap | None:
        pixmap = self._items.get(key)
        if pixmap is not None:
            self._items.move_to_end(key)
        return pixmap

    def put(self, key: ImageKey, pixmap: QPixmap) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= self._cost(old)
        self._items[key] = pixmap
        self._bytes += self._cost(pixmap)
        while self._bytes > self.budget_bytes and len(self._items) > 1:
            _key, evicted = self._items.popitem(last=False)
            self._bytes -= self._cost(evicted)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    @property
    def bytes(self) -> int:
        return self._bytes

    def clear(self) -> None:
        self._items.clear()
        self._bytes = 0

    @staticmethod
    def _cost(pixmap: QPixmap) -> int:
        return max(pixmap.width() * pixmap.height() * max(pixmap.depth(), 8) // 8, 1)


class _Relay(QObject):
    """Carries results from the pool threads to the GUI thread (it lives there, so delivery is queued).

    It has no parent: the work queue holds it, so it outlives any decode still running when the panel
    goes away."""

    sig_decoded = Signal(int, object, object)  # generation, ImageKey, QImage or the reason it failed (str)


class _WorkQueue:
    """The decodes asked for, in order (full images the reviewer opened first), shared by the GUI thread
    that adds to it and the pool tasks that drain it: a few tasks in the pool, never one per image."""

    def __init__(self, relay: _Relay) -> None:
        self.relay = relay
        self.lock = threading.Lock()
        self.items: deque[tuple[int, ImageKey, QSize | None]] = deque()
        self.generation = 0
        self.workers = 0

    def drain(self) -> None:
        """Run on a pool thread: decode until nothing is left, skipping what an earlier owner asked for."""
        while True:
            with self.lock:
                if not self.items:
                    self.workers -= 1
                    return
                generation, key, box = self.items.popleft()
                stale = generation != self.generation
            if stale:
                continue
            try:
                result: QImage | str = decode_image(key.path, box)
            except Exception as exc:  # a decoder's surprise is this image's problem, not the pool's
                result = f"{type(exc).__name__}: {exc}".splitlines()[0]
            with contextlib.suppress(RuntimeError):  # the application is closing
                self.relay.sig_decoded.emit(generation, key, result)


class ImageLoader(QObject):
    """Decodes thumbnails and full images on a thread pool and caches them as pixmaps.

    `thumbnail(path)` and `full_image(path)` answer from the cache at once (None while the image is being
    decoded, and then ask for it); `sig_ready(key)` says when one came in, `sig_failed(key, reason)` when
    it cannot be shown. `set_owner` names what the images are for (a submission): results for an earlier
    owner are dropped.
    """

    sig_ready = Signal(object)  # ImageKey
    sig_failed = Signal(object, str)  # ImageKey, one line

    def __init__(self, parent: QObject | None = None, threads: int | None = None) -> None:
        super().__init__(parent)
        self.thumb_size = QSize(THUMB_SIZE)
        self.thumbnails = PixmapCache(THUMB_CACHE_BYTES)
        self.full_images = PixmapCache(FULL_CACHE_BYTES)
        self._errors: dict[ImageKey, str] = {}
        self._pending: set[ImageKey] = set()
        self._owner: object = None
        self.dropped = 0  # results that came in for an owner no longer on show
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads if threads is not None else default_threads())
        self.pool.setThreadPriority(QThread.Priority.LowPriority)
        self._relay = _Relay()
        self._relay.sig_decoded.connect(self._on_decoded, Qt.ConnectionType.QueuedConnection)
        self._queue = _WorkQueue(self._relay)
        # Thumbnails at the screen's pixel density, so they are sharp on a high-DPI screen too.
        screen = QGuiApplication.primaryScreen()
        self.pixel_ratio = max(screen.devicePixelRatio() if screen is not None else 1.0, 1.0)
        # No decode may still run while Python shuts down: stop when the panel goes or the application quits.
        stop = functools.partial(_stop, self._queue, self.pool)
        self.destroyed.connect(stop)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(stop)

    # -- asking ----------------------------------------------------------------------------------

    def set_owner(self, owner: object) -> None:
        """What the next requests are for. Another owner than before: queued decodes are dropped, and
        results still on their way are thrown away when they come in."""
        if owner == self._owner:
            return
        self._owner = owner
        with self._queue.lock:
            self._queue.generation += 1
        self.cancel_queued()
        self._errors.clear()

    def cancel_queued(self) -> None:
        """Drop the decodes not started yet (nothing on show needs them now); those under way still land
        in the cache, since they are for the same owner."""
        with self._queue.lock:
            self._queue.items.clear()
        self._pending.clear()

    def thumbnail(self, path: str) -> QPixmap | None:
        return self._get(ImageKey(path, False))

    def full_image(self, path: str) -> QPixmap | None:
        return self._get(ImageKey(path, True))

    def thumbnail_cached(self, path: str) -> QPixmap | None:
        """The thumbnail if it is in the cache, without asking for it."""
        return self.thumbnails.get(ImageKey(path, False))

    def error(self, key: ImageKey) -> str | None:
        """Why the image cannot be shown, once its decode failed (None: it has not)."""
        return self._errors.get(key)

    def request(self, key: ImageKey) -> None:
        """Decode `key` on the pool unless it is cached, failed or on its way; a full image before the
        thumbnails still waiting."""
        if key in self._pending or key in self._errors or self._cache(key.full).get(key) is not None:
            return
        self._pending.add(key)
        queue = self._queue
        with queue.lock:
            box = None if key.full else QSize(self.thumb_size) * self.pixel_ratio
            item = (queue.generation, key, box)
            if key.full:
                queue.items.appendleft(item)
            else:
                queue.items.append(item)
            start = queue.workers < self.pool.maxThreadCount()
            if start:
                queue.workers += 1
        if start:
            self.pool.start(queue.drain)

    @property
    def busy(self) -> bool:
        """Decodes asked for the current owner have not all come in."""
        return bool(self._pending)

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Drop what is queued and wait for the decodes under way (when the panel goes away)."""
        self.set_owner(object())
        self.pool.waitForDone(wait_ms)

    # -- receiving -------------------------------------------------------------------------------

    def _get(self, key: ImageKey) -> QPixmap | None:
        pixmap = self._cache(key.full).get(key)
        if pixmap is None:
            self.request(key)
        return pixmap

    def _cache(self, full: bool) -> PixmapCache:
        return self.full_images if full else self.thumbnails

    def _on_decoded(self, generation: int, key: ImageKey, result: object) -> None:
        if generation != self._queue.generation:
            self.dropped += 1
            return
        self._pending.discard(key)
        if isinstance(result, QImage):
            pixmap = QPixmap.fromImage(result)
            if not key.full:
                pixmap.setDevicePixelRatio(self.pixel_ratio)
            self._cache(key.full).put(key, pixmap)
            self.sig_ready.emit(key)
        else:
            self._errors[key] = str(result)
            self.sig_failed.emit(key, str(result))


def _stop(queue: _WorkQueue, pool: QThreadPool, *_args: object) -> None:
    """Nothing more to decode; wait for what is being decoded."""
    with queue.lock:
        queue.items.clear()
        queue.generation += 1
    with contextlib.suppress(RuntimeError):  # at exit the pool itself may be gone already
        pool.waitForDone(5000)


def default_threads() -> int:
    """A core for the GUI thread, the others for decoding (at least one, at most four): on two cores, a
    second decoding thread makes the thumbnails come a little sooner and the GUI thread's paints twice as
    slow (bench/device_panel.py)."""
    return max(1, min(4, QThread.idealThreadCount() - 1))
