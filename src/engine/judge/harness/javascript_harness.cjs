"use strict";
/*
 * Judge harness for JavaScript: loads the candidate's code and streams one result frame per test.
 *
 * Protocol (see src/engine/judge/protocol.ts, which is the authority):
 *   fd 0, line 1  {"nonce", "kind", "entry", "source"}
 *   fd 0, line 2  {"tests": [args, ...]}
 *   fd 3          "ready" once both are parsed, BEFORE the candidate's code is loaded: the judge's clock
 *                 starts here, so loading counts and input parsing does not
 *   fd 3          "compile_error" | "load_error" | "missing_entry", or one "result" per test, then "done"
 * Every frame is the line "<nonce> <json>". The nonce lives only in this closure; it arrives on stdin,
 * never in env, argv or a file. stdout/stderr belong to the candidate and are never parsed.
 * Every built-in the harness relies on is captured before the candidate's code runs, and return values
 * are serialised by hand (no toJSON, valueOf or prototype lookups), so the judge only ever sees plain data.
 * Expected values never enter this process: pass/fail is decided by the judge in TypeScript.
 */
const fs = require("node:fs");
const vm = require("node:vm");

(function harness() {
  const readSync = fs.readSync;
  const writeSync = fs.writeSync;
  const apply = Reflect.apply;
  const isArray = Array.isArray;
  const isView = ArrayBuffer.isView;
  const getPrototypeOf = Object.getPrototypeOf;
  const objectKeys = Object.keys;
  const create = Object.create;
  const parse = JSON.parse;
  // Called on primitives only once candidate code has run (no toJSON lookup); our own frames go through
  // the hand-written encoder below, which never consults prototypes.
  const stringify = JSON.stringify;
  const isFinite = Number.isFinite;
  const toNumber = Number;
  const toString = String;
  const bufferAlloc = Buffer.alloc;
  const bufferAllocUnsafe = Buffer.allocUnsafe;
  const bufferFrom = Buffer.from;
  const bufferConcat = Buffer.concat;
  const now = performance.now.bind(performance);
  const exit = process.exit;
  const ObjectProto = Object.prototype;
  const SetProto = Set.prototype;
  const MapProto = Map.prototype;
  const DataViewProto = DataView.prototype;
  const setValues = Set.prototype.values;
  const mapEntries = Map.prototype.entries;
  const setIterNext = getPrototypeOf(new Set().values()).next;
  const mapIterNext = getPrototypeOf(new Map().entries()).next;
  const iteratorSymbol = Symbol.iterator;
  const sleepCell = new Int32Array(new SharedArrayBuffer(4));
  const SOURCE_NAME = "solution.js";
  const MAX_MESSAGE = 2000;
  const MAX_NODES = 5_000_000;
  const MAX_DEPTH = 100; // the judge refuses deeper frames before parsing them (limits.ts maxResultDepth)
  // Memory verdicts only for errors V8 itself raised: a real Error object (internal slot, not a look-alike
  // with a forged name) whose prototype is the real RangeError's, with one of V8's allocation messages.
  const isNativeError = require("node:util").types.isNativeError;
  const RangeErrorProto = RangeError.prototype;
  const regexpTest = RegExp.prototype.test;
  const ALLOCATION_FAILED = /^(?:Array buffer allocation failed|Failed to allocate memory|Invalid string length|Invalid typed array length: \d+|Invalid array buffer length)$/;

  function pause() {
    Atomics.wait(sleepCell, 0, 0, 2);
  }

  // ---------- fds ----------

  // Runs before the candidate's code exists, so plain array and buffer methods are still trustworthy.
  const pending = { buffer: bufferAlloc(0) };
  function readLine() {
    const parts = [];
    let part = pending.buffer;
    for (;;) {
      const cut = part.indexOf(10);
      if (cut >= 0) {
        parts.push(part.subarray(0, cut));
        pending.buffer = part.subarray(cut + 1);
        return bufferConcat(parts).toString("utf8");
      }
      parts.push(part);
      const chunk = bufferAllocUnsafe(1 << 20);
      let n;
      try {
        n = readSync(0, chunk, 0, chunk.length, null);
      } catch (e) {
        if (e && e.code === "EAGAIN") {
          pause();
          continue;
        }
        throw e;
      }
      if (n === 0) {
        pending.buffer = bufferAlloc(0);
        return bufferConcat(parts).toString("utf8");
      }
      part = chunk.subarray(0, n);
    }
  }

  function makeEmitter(nonce) {
    const prefix = nonce + " ";
    return function emit(frameJson) {
      const data = bufferFrom(prefix + frameJson + "\n", "utf8");
      let offset = 0;
      while (offset < data.length) {
        try {
          offset += writeSync(3, data, offset, data.length - offset);
        } catch (e) {
          if (e && e.code === "EAGAIN") {
            pause();
            continue;
          }
          throw e;
        }
      }
    };
  }

  // ---------- plain JSON ----------

  class Unsupported extends Error {}

  function typeName(value) {
    try {
      const proto = getPrototypeOf(value);
      const ctor = proto && proto.constructor;
      const name = typeof ctor === "function" ? ctor.name : "";
      return typeof name === "string" && name ? name : "object";
    } catch {
      return "object";
    }
  }

  function unsupported(what) {
    return new Unsupported(
      `returned ${what}; return plain arrays, objects, numbers, strings, booleans or null`,
    );
  }

  function encodeNumber(n) {
    if (isFinite(n)) return stringify(n);
    return n !== n ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"';
  }

  function encodeKey(key) {
    switch (typeof key) {
      case "string":
        return stringify(key);
      case "number":
        return stringify(toString(key));
      case "boolean":
        return key ? '"true"' : '"false"';
      default:
        if (key === null) return '"null"';
        throw new Unsupported("a Map key must be a string or a number");
    }
  }

  function encoder() {
    let nodes = 0;
    return function encode(value, depth) {
      if (++nodes > MAX_NODES) throw new Unsupported("the return value is too large");
      if (depth >= MAX_DEPTH) throw new Unsupported("the return value is nested too deeply (or contains itself)");
      switch (typeof value) {
        case "undefined":
          return "null";
        case "boolean":
          return value ? "true" : "false";
        case "number":
          return encodeNumber(value);
        case "bigint":
          return encodeNumber(toNumber(value));
        case "string":
          return stringify(value);
        case "object":
          break;
        default:
          throw unsupported(`a ${typeof value}`);
      }
      if (value === null) return "null";
      if (isArray(value) || (isView(value) && getPrototypeOf(value) !== DataViewProto)) {
        const length = value.length;
        let out = "[";
        for (let i = 0; i < length; i++) out += (i ? "," : "") + encode(value[i], depth + 1);
        return out + "]";
      }
      const proto = getPrototypeOf(value);
      if (proto === SetProto) {
        const it = apply(setValues, value, []);
        let out = "[";
        for (let step = apply(setIterNext, it, []), i = 0; !step.done; step = apply(setIterNext, it, []), i++) {
          out += (i ? "," : "") + encode(step.value, depth + 1);
        }
        return out + "]";
      }
      if (proto === MapProto) {
        const it = apply(mapEntries, value, []);
        let out = "{";
        for (let step = apply(mapIterNext, it, []), i = 0; !step.done; step = apply(mapIterNext, it, []), i++) {
          out += (i ? "," : "") + encodeKey(step.value[0]) + ":" + encode(step.value[1], depth + 1);
        }
        return out + "}";
      }
      if (proto === ObjectProto || proto === null) {
        const keys = objectKeys(value);
        let out = "{";
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          out += (i ? "," : "") + stringify(toString(key)) + ":" + encode(value[key], depth + 1);
        }
        return out + "}";
      }
      throw unsupported(`an object of type ${typeName(value)}`);
    };
  }

  function toJson(value) {
    return encoder()(value, 0);
  }

  // ---------- map-reduce ----------

  function itemsOf(value, what) {
    if (isArray(value)) return value;
    if (value !== null && typeof value === "object" && typeof value[iteratorSymbol] === "function") {
      const items = [];
      for (const item of value) items[items.length] = item;
      return items;
    }
    throw new Unsupported(`${what} must be an array, got ${value === null ? "null" : typeof value}`);
  }

  function pairOf(value, what) {
    if (!isArray(value) || value.length !== 2) throw new Unsupported(`${what} must be a [word, count] pair`);
    const word = value[0];
    const count = value[1];
    if (typeof word !== "string") throw new Unsupported(`${what}: the word must be a string`);
    if (typeof count !== "number") throw new Unsupported(`${what}: the count must be a number`);
    return [word, count];
  }

  function runMapReduce(mapper, reducer, args) {
    const arg = args[0];
    if (arg !== null && typeof arg === "object" && !isArray(arg) && arg.reducer) {
      return pairOf(reducer(arg.reducer.word, arg.reducer.counts), "the reducer's return value");
    }
    const groups = create(null);
    const order = [];
    for (let i = 0; i < arg.length; i++) {
      const emitted = itemsOf(mapper(arg[i]), "the mapper's return value");
      for (let j = 0; j < emitted.length; j++) {
        const [word, count] = pairOf(emitted[j], "each item the mapper returns");
        const counts = groups[word];
        if (counts === undefined) {
          groups[word] = [count];
          order[order.length] = word;
        } else counts[counts.length] = count;
      }
    }
    const totals = create(null);
    for (let i = 0; i < order.length; i++) {
      const word = order[i];
      const [outWord, total] = pairOf(reducer(word, groups[word]), "the reducer's return value");
      totals[outWord] = total;
    }
    return totals;
  }

  // ---------- errors ----------

  function trim(text) {
    return text.length <= MAX_MESSAGE ? text : text.slice(0, MAX_MESSAGE - 3) + "...";
  }

  function isAllocationFailure(error) {
    try {
      if (!isNativeError(error) || getPrototypeOf(error) !== RangeErrorProto) return false;
      const desc = Reflect.getOwnPropertyDescriptor(error, "message");
      return !!desc && typeof desc.value === "string" && apply(regexpTest, ALLOCATION_FAILED, [desc.value]);
    } catch {
      return false;
    }
  }

  /** The candidate's part of the stack only: the message, then frames in solution.js. */
  function describe(error) {
    let type = typeof error;
    let message = "";
    let trace = "";
    try {
      if (error !== null && typeof error === "object") {
        type = typeof error.name === "string" ? error.name : typeName(error);
        message = typeof error.message === "string" ? error.message : toString(error);
        const stack = typeof error.stack === "string" ? error.stack : `${type}: ${message}`;
        const lines = stack.split("\n");
        const kept = [];
        let inFrames = false;
        for (const line of lines) {
          const isFrame = /^\s+at /.test(line);
          inFrames = inFrames || isFrame;
          if (!inFrames || (isFrame && line.includes(SOURCE_NAME))) kept.push(line);
        }
        trace = kept.join("\n");
      } else {
        message = toString(error);
        trace = `Uncaught ${message}`;
      }
    } catch {
      trace = trace || "an error that could not be described";
    }
    let kind = "exception";
    if (error instanceof Unsupported) {
      kind = "unsupported";
      trace = message;
    } else if (isAllocationFailure(error)) {
      kind = "memory";
    } else if (error && (error.code === "EFBIG" || error.code === "ENOSPC")) {
      kind = "output";
    }
    return { kind, type: trim(toString(type)), message: trim(message), traceback: trim(trace) };
  }

  // ---------- main ----------

  /**
   * stdout/stderr are sockets, which Node writes asynchronously: a print loop that never yields would
   * queue its output in memory instead of reaching the judge's output limit. Blocking writes fix that.
   */
  function makeOutputBlocking() {
    for (const stream of [process.stdout, process.stderr]) {
      const handle = stream && stream._handle;
      if (handle && typeof handle.setBlocking === "function") handle.setBlocking(true);
    }
  }

  /**
   * Descriptors the bot inherited without close-on-exec reach this process through bubblewrap; the judge
   * lists them. They were open before this process started, so none of them can be one of Node's own.
   */
  function closeInherited(fds) {
    if (!isArray(fds)) return;
    for (let i = 0; i < fds.length; i++) {
      const fd = fds[i];
      if (typeof fd !== "number" || !(fd > 3)) continue;
      try {
        fs.closeSync(fd);
      } catch {}
    }
  }

  /** Scripts, not modules: `export function f` (a common habit) is accepted by dropping `export`. */
  function compile(source) {
    try {
      return new vm.Script(source, { filename: SOURCE_NAME });
    } catch (e) {
      const unexported = source.replace(/^([ \t]*)export[ \t]+(?:default[ \t]+)?(?=(?:async[ \t]+)?function|const|let|var|class)/gm, "$1");
      if (unexported === source) throw e;
      try {
        return new vm.Script(unexported, { filename: SOURCE_NAME });
      } catch {
        throw e;
      }
    }
  }

  function main() {
    makeOutputBlocking();
    const header = parse(readLine());
    const tests = parse(readLine()).tests;
    const emit = makeEmitter(header.nonce);
    header.nonce = "";
    closeInherited(header.closeFds);
    const { source, kind, entry } = header;
    emit('{"type":"ready"}');

    let script;
    try {
      script = compile(source);
    } catch (e) {
      const stack = e && typeof e.stack === "string" ? e.stack : toString(e);
      const message = stack
        .split("\n")
        .filter((line) => !/^\s+at /.test(line))
        .join("\n")
        .trim();
      emit(stringify({ type: "compile_error", message: trim(message) }));
      return;
    }
    const moduleShim = { exports: {} };
    globalThis.module = moduleShim;
    globalThis.exports = moduleShim.exports;
    globalThis.require = require;
    try {
      script.runInThisContext();
    } catch (e) {
      emit(toJson({ type: "load_error", error: describe(e) }));
      return;
    }
    const entries = [];
    for (const name of entry) {
      let fn;
      if (/^[A-Za-z_$][\w$]*$/.test(name)) {
        try {
          fn = vm.runInThisContext(`typeof ${name} === "function" ? ${name} : undefined`);
        } catch {
          fn = undefined;
        }
      }
      if (typeof fn !== "function" && moduleShim.exports && typeof moduleShim.exports[name] === "function") {
        fn = moduleShim.exports[name];
      }
      if (typeof fn !== "function") {
        emit(toJson({ type: "missing_entry", name }));
        return;
      }
      entries[entries.length] = fn;
    }

    for (let i = 0; i < tests.length; i++) {
      const args = tests[i];
      const started = now();
      let frame;
      try {
        const value = kind === "mapreduce" ? runMapReduce(entries[0], entries[1], args) : apply(entries[0], undefined, args);
        const ms = now() - started;
        frame = `{"type":"result","i":${i},"ok":true,"ms":${encodeNumber(ms)},"value":${toJson(value)}}`;
      } catch (e) {
        const ms = now() - started;
        frame = toJson({ type: "result", i, ok: false, ms, error: describe(e) });
      }
      emit(frame);
    }
    emit('{"type":"done"}');
  }

  let status = 0;
  try {
    main();
  } catch (e) {
    status = 70; // a harness failure, reported by the judge as an internal error
    try {
      process.stderr.write(`harness: ${e && e.stack ? e.stack : e}\n`);
    } catch {}
  }
  apply(exit, process, [status]);
})();
