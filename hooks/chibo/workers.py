"""Forked worker processes: the build's pages, reads and photos spread over the cores."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

# What a forked worker is working on, readable by the parent if the worker dies.
_progress: Any = None


def working_on(label: str) -> None:
    """Record the item (an article's file) a worker is busy with, for its failure message."""
    if _progress is not None:
        data = label.encode("utf-8")[: len(_progress) - 1]
        _progress[: len(data) + 1] = data + b"\0"


def _last_item(progress: Any) -> str:
    return bytes(progress[:]).split(b"\0", 1)[0].decode("utf-8", "replace")


def run_forked(func: Callable[[list[Any]], Any], items: list[Any], workers: int, runs: bool = False) -> list[Any]:
    """Run `func` over `workers` interleaved slices of `items` in forked processes; with
    `runs`, over consecutive runs of them instead (items next to each other share work that
    a worker does once, such as the cards of related articles).

    Fork shares everything the build already holds (configuration, templates, index)
    without pickling it; only each slice's result comes back through a pipe. Falls back
    to one process where fork is unavailable or not worth it.
    """
    import multiprocessing

    if workers < 2 or len(items) < 2 * workers or "fork" not in multiprocessing.get_all_start_methods():
        return [func(items)]
    ctx = multiprocessing.get_context("fork")
    _before_fork()
    if runs:
        slices = [items[len(items) * i // workers : len(items) * (i + 1) // workers] for i in range(workers)]
    else:
        slices = [items[i::workers] for i in range(workers)]
    channels = []
    for part in slices:
        receiver, sender = ctx.Pipe(duplex=False)
        progress = ctx.RawArray("c", 1024)
        process = ctx.Process(target=_child, args=(func, part, sender, progress))
        process.start()
        sender.close()
        channels.append((process, receiver, progress))
    return [_receive(*channel) for channel in channels]


def _receive(process: Any, receiver: Any, progress: Any = None) -> Any:
    """A forked worker's result; its failure, naming what it was working on, raised here.
    A worker that died without a word closes its pipe: that ends the wait."""
    try:
        ok, value = receiver.recv()
    except EOFError:
        process.join()
        code = process.exitcode
        how = f"bị dừng bởi tín hiệu {signal.Signals(-code).name}" if code and code < 0 else f"thoát với mã {code}"
        ok, value = False, f"tiến trình xây dựng {how} (hết bộ nhớ?)"
    else:
        process.join()
    if not ok:
        item = _last_item(progress) if progress is not None else ""
        where = f" khi đang xử lý {item}" if item else ""
        raise RuntimeError(f"Lỗi{where}: {value}")
    return value


def start_forked(func: Callable[[], Any]) -> Callable[[], Any]:
    """Start `func` in a forked process now; the returned function waits for its result.
    Without fork, `func` runs when the result is asked for."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return func
    ctx = multiprocessing.get_context("fork")
    _before_fork()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(lambda _: func(), [], sender, None))
    process.start()
    sender.close()
    return lambda: _receive(process, receiver)


def _before_fork() -> None:
    """What the build holds so far is moved out of the collector's sight: a worker would
    otherwise walk (and so copy, page by page) every object it inherited at each full
    collection."""
    import gc

    gc.freeze()


def _child(func: Callable[[list[Any]], Any], part: list[Any], sender: Any, progress: Any) -> None:
    import gc
    import os
    import traceback

    global _progress
    _progress = progress
    gc.set_threshold(20_000, 50, 100)  # a worker makes many small trees (Markdown, templates) and ends soon
    try:
        sender.send((True, func(part)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which fails the build
        sender.send((False, traceback.format_exc()))
    finally:
        sender.close()
        os._exit(0)  # skip the parent's atexit handlers and buffered output in the child
