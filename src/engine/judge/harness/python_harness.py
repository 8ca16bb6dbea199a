"""Judge harness for Python: loads the candidate's code and streams one result frame per test.

Protocol (see src/engine/judge/protocol.ts, which is the authority):
  fd 0, line 1  {"nonce", "kind", "entry", "source"}
  fd 0, line 2  {"tests": [args, ...]}
  fd 3          "ready" once both are parsed, BEFORE the candidate's code is loaded: the judge's clock
                starts here, so loading counts and input parsing does not
  fd 3          "compile_error" | "load_error" | "missing_entry", or one "result" per test, then "done"
Every frame is the line "<nonce> <json>". The nonce arrives on stdin, never in env, argv or a file, and
stdin is closed before the candidate's code loads. stdout/stderr belong to the candidate, never parsed.
Return values are turned into plain JSON here with type checks that bypass overridden methods, so an
object whose __eq__ always says yes reaches the judge as what it really is (or as "unsupported").
Expected values never enter this process: pass/fail is decided by the judge in TypeScript.
"""
import builtins
import errno
import json
import linecache
import math
import os
import sys
import time
import traceback
import types

_write = os.write
_read = os.read
_perf = time.perf_counter
_FRAMES_FD = 3
_SOURCE_NAME = "solution.py"
_MAX_MESSAGE = 2000

_exact = type
_dict_items = dict.items
_list_iter = list.__iter__
_tuple_iter = tuple.__iter__
_set_iter = set.__iter__
_frozenset_iter = frozenset.__iter__
_int_int = int.__int__
_float_float = float.__float__
_str_str = str.__str__
_isinstance = isinstance
# Captured before the candidate's code can rebind builtins: a memory verdict needs a real MemoryError.
_MemoryError = MemoryError
_OSError = OSError
_MAX_DEPTH = 100  # the judge refuses deeper frames before parsing them (limits.ts maxResultDepth)


class _Unsupported(Exception):
    """A value the judge cannot see as plain data, or a map-reduce result of the wrong shape."""


def _read_line(state):
    buf = state["buf"]
    searched = 0
    while True:
        cut = buf.find(b"\n", searched)
        if cut >= 0:
            line = bytes(buf[:cut])
            del buf[: cut + 1]
            return line
        searched = len(buf)
        chunk = _read(0, 1 << 20)
        if not chunk:
            line = bytes(buf)
            buf.clear()
            return line
        buf += chunk


def _make_emitter(nonce):
    prefix = (nonce + " ").encode("ascii")

    def emit(frame_json):
        data = memoryview(prefix + frame_json.encode("utf-8") + b"\n")
        while data:
            written = _write(_FRAMES_FD, data)
            data = data[written:]

    return emit


# ---------- plain JSON ----------

_ITERABLE_TYPES = (
    types.GeneratorType,
    map,
    filter,
    zip,
    range,
    reversed,
    enumerate,
    type({}.keys()),
    type({}.values()),
    type({}.items()),
)


def _default(value):
    """Called by the C encoder for anything that is not a dict/list/tuple/str/int/float/bool/None."""
    if _isinstance(value, frozenset):
        return list(_frozenset_iter(value))
    if _isinstance(value, set):
        return list(_set_iter(value))
    if _exact(value) in _ITERABLE_TYPES:
        return list(value)
    raise _Unsupported(
        "returned a value of type %s; return plain lists, dicts, numbers, strings, booleans or None"
        % _exact(value).__name__
    )


_encoder = json.JSONEncoder(
    ensure_ascii=True, allow_nan=False, check_circular=True, separators=(",", ":"), default=_default
)
_encode = _encoder.encode


def _finite(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _plain_key(key):
    if key is None or key is True or key is False:
        return json.dumps(key)
    if _isinstance(key, str):
        return _str_str(key)
    if _isinstance(key, int):
        return repr(_int_int(key))
    if _isinstance(key, float):
        return repr(_float_float(key))
    raise _Unsupported("dict keys must be strings or numbers, got %s" % _exact(key).__name__)


def _plain(value, depth=0):
    """Slow path used only when the fast encoder refuses (NaN/Infinity): same rules, floats tagged."""
    if depth >= _MAX_DEPTH:
        raise _Unsupported("the return value is nested too deeply")
    if value is None or value is True or value is False:
        return value
    if _isinstance(value, str):
        return _str_str(value)
    if _isinstance(value, int):
        return _int_int(value)
    if _isinstance(value, float):
        return _finite(_float_float(value))
    if _isinstance(value, dict):
        return {_plain_key(k): _plain(v, depth + 1) for k, v in _dict_items(value)}
    if _isinstance(value, list):
        return [_plain(v, depth + 1) for v in _list_iter(value)]
    if _isinstance(value, tuple):
        return [_plain(v, depth + 1) for v in _tuple_iter(value)]
    return [_plain(v, depth + 1) for v in _default(value)]


def _to_json(value):
    try:
        return _encode(value)
    except ValueError as exc:
        if "Circular" in str(exc):
            raise _Unsupported("the return value contains itself (circular reference)")
        return _encode(_plain(value))
    except RecursionError:
        raise _Unsupported("the return value is nested too deeply")
    except TypeError as exc:
        raise _Unsupported(str(exc)[:300])


# ---------- map-reduce ----------


def _items_of(value, what):
    if _isinstance(value, list):
        return list(_list_iter(value))
    if _isinstance(value, tuple):
        return list(_tuple_iter(value))
    raise _Unsupported("%s must be a (word, count) pair, got %s" % (what, _exact(value).__name__))


def _pair(value, what):
    items = _items_of(value, what)
    if len(items) != 2:
        raise _Unsupported("%s must be a (word, count) pair, got %d items" % (what, len(items)))
    word, count = items
    if not _isinstance(word, str):
        raise _Unsupported("%s: the word must be a string, got %s" % (what, _exact(word).__name__))
    if count is True or count is False or not _isinstance(count, (int, float)):
        raise _Unsupported("%s: the count must be a number, got %s" % (what, _exact(count).__name__))
    count = _int_int(count) if _isinstance(count, int) else _float_float(count)
    return _str_str(word), count


def _run_mapreduce(mapper, reducer, args):
    arg = args[0] if args else None
    if _exact(arg) is dict and "reducer" in arg:
        call = arg["reducer"]
        return list(_pair(reducer(call["word"], list(call["counts"])), "reducer's return value"))
    groups = {}
    for line in arg:
        emitted = mapper(line)
        try:
            iterator = iter(emitted)
        except TypeError:
            raise _Unsupported(
                "mapper must return an iterable of (word, count) pairs, got %s" % _exact(emitted).__name__
            )
        for item in iterator:
            word, count = _pair(item, "each item the mapper emits")
            groups.setdefault(word, []).append(count)
    totals = {}
    for word, counts in groups.items():
        out_word, total = _pair(reducer(word, counts), "reducer's return value")
        totals[out_word] = total
    return totals


# ---------- errors ----------


def _trim(text):
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _describe(exc):
    """The candidate's part of the traceback only: frames in solution.py, then the exception line."""
    try:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == _SOURCE_NAME]
        lines = ["Traceback (most recent call last):\n"] if frames else []
        lines += traceback.format_list(frames)
        lines += traceback.format_exception_only(_exact(exc), exc)
        text = "".join(lines)
    except BaseException:
        text = _exact(exc).__name__
    try:
        message = str(exc)
    except BaseException:
        message = ""
    kind = "exception"
    if _isinstance(exc, _MemoryError):
        kind = "memory"
    elif _isinstance(exc, _OSError) and exc.errno in (errno.EFBIG, errno.ENOSPC):
        kind = "output"
    elif _isinstance(exc, _Unsupported):
        kind = "unsupported"
        text = message
    return {"kind": kind, "type": _exact(exc).__name__, "message": _trim(message), "traceback": _trim(text)}


def _close_inherited(listed):
    """Only stdin/stdout/stderr and the result channel (fd 3) stay open for the candidate's code: the
    judge lists descriptors the bot inherited without close-on-exec, and close_range catches the rest."""
    for fd in listed:
        try:
            os.close(int(fd))
        except (OSError, ValueError, TypeError):
            pass
    os.closerange(_FRAMES_FD + 1, 1 << 16)


def _flush_candidate_output():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass


def main():
    state = {"buf": bytearray()}
    header = json.loads(_read_line(state))
    tests = json.loads(_read_line(state))["tests"]
    state = None
    _close_inherited(header.get("closeFds") or [])
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    emit = _make_emitter(header["nonce"])
    del header["nonce"]
    source = header["source"]
    kind = header["kind"]
    entry_names = header["entry"]
    conveniences = {}
    try:
        import typing  # so annotations like List[int] work without an import, as on most judges

        for name in ("List", "Dict", "Tuple", "Set", "Optional", "Iterable", "Iterator", "Any", "Union"):
            conveniences[name] = getattr(typing, name)
    except ImportError:
        pass
    emit('{"type":"ready"}')

    try:
        code = compile(source, _SOURCE_NAME, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        lines = traceback.format_exception_only(_exact(exc), exc)
        emit(json.dumps({"type": "compile_error", "message": _trim("".join(lines))}))
        return
    linecache.cache[_SOURCE_NAME] = (len(source), None, source.splitlines(True), _SOURCE_NAME)

    namespace = {"__name__": "solution", "__file__": _SOURCE_NAME, "__builtins__": builtins, **conveniences}
    sys.setrecursionlimit(10000)
    try:
        exec(code, namespace)
    except BaseException as exc:
        emit(json.dumps({"type": "load_error", "error": _describe(exc)}))
        return
    entries = []
    for name in entry_names:
        fn = namespace.get(name)
        if not callable(fn):
            emit(json.dumps({"type": "missing_entry", "name": name}))
            return
        entries.append(fn)

    for index, args in enumerate(tests):
        started = _perf()
        try:
            if kind == "mapreduce":
                value = _run_mapreduce(entries[0], entries[1], args)
            else:
                value = entries[0](*args)
            elapsed = (_perf() - started) * 1000.0
            encoded = _to_json(value)
            frame = '{"type":"result","i":%d,"ok":true,"ms":%.3f,"value":%s}' % (index, elapsed, encoded)
        except BaseException as exc:
            elapsed = (_perf() - started) * 1000.0
            frame = json.dumps({"type": "result", "i": index, "ok": False, "ms": elapsed, "error": _describe(exc)})
        value = None
        emit(frame)
    emit('{"type":"done"}')


if __name__ == "__main__":
    _status = 0
    try:
        main()
    except BaseException:
        _status = 70  # a harness failure, reported by the judge as an internal error
        traceback.print_exc()
    finally:
        _flush_candidate_output()
        os._exit(_status)
