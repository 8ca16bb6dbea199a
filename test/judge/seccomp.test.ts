/**
 * The seccomp program, checked instruction by instruction for each architecture by running it on a
 * small classic-BPF interpreter (the kernel's semantics for the opcodes the assembler emits). The real
 * filter in the real sandbox is exercised by escape.test.ts and the judge's start-up self-test.
 */
import { describe, expect, it } from "vitest";
import { ARCH_TABLES, buildProgram, DENIED_SYSCALLS, seccompProgram } from "../../src/engine/judge/seccomp.js";

const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;
const ENOSYS = 0x00050026;

interface SeccompData {
  nr: number;
  arch: number;
  args?: number[];
}

/** Runs the program on one syscall; returns the seccomp action. */
function run(program: Buffer, data: SeccompData): number {
  const word = (offset: number): number => {
    if (offset === 0) return data.nr >>> 0;
    if (offset === 4) return data.arch >>> 0;
    if (offset >= 16 && offset < 64 && offset % 8 === 0) return (data.args?.[(offset - 16) / 8] ?? 0) >>> 0;
    throw new Error(`load from unexpected offset ${offset}`);
  };
  let acc = 0;
  for (let pc = 0, steps = 0; steps < 10_000; steps++) {
    if (pc * 8 >= program.length) throw new Error("fell off the end of the program");
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    switch (code) {
      case 0x20: // ld [k]
        acc = word(k);
        pc++;
        break;
      case 0x15: // jeq #k
        pc += 1 + (acc === k ? jt : jf);
        break;
      case 0x35: // jge #k
        pc += 1 + (acc >= k ? jt : jf);
        break;
      case 0x45: // jset #k
        pc += 1 + ((acc & k) !== 0 ? jt : jf);
        break;
      case 0x06: // ret #k
        return k;
      default:
        throw new Error(`unexpected opcode ${code}`);
    }
  }
  throw new Error("program did not terminate");
}

const CLONE_THREAD_FLAGS = 0x003d0f00; // what glibc's pthread_create passes
const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWNS = 0x00020000;

describe.each(Object.entries(ARCH_TABLES))("the seccomp filter on %s", (_arch, table) => {
  const program = buildProgram(table!);
  const call = (nr: number, args?: number[]) => run(program, { nr, arch: table!.auditArch, args });

  it("refuses every listed syscall with EPERM", () => {
    for (const name of DENIED_SYSCALLS) expect(call(table!.numbers[name]), name).toBe(EPERM);
  });

  it("lets ordinary syscalls and thread creation through", () => {
    for (const nr of [0, 1, 2, 3, 9, 60, 63, 64, 172, 231]) {
      if (Object.values(table!.numbers).includes(nr)) continue;
      expect(call(nr), `syscall ${nr}`).toBe(ALLOW);
    }
    expect(call(table!.numbers.clone, [CLONE_THREAD_FLAGS])).toBe(ALLOW);
  });

  it("refuses clone with namespace flags and sends clone3 back to clone", () => {
    expect(call(table!.numbers.clone, [CLONE_THREAD_FLAGS | CLONE_NEWUSER])).toBe(EPERM);
    expect(call(table!.numbers.clone, [CLONE_NEWNS | 17])).toBe(EPERM);
    expect(call(table!.numbers.clone3)).toBe(ENOSYS);
  });

  it("refuses every syscall made through another ABI (32-bit gate, another architecture)", () => {
    for (const arch of [0x40000003 /* i386 */, 0xc000003e, 0xc00000b7, 0x40000028 /* arm */]) {
      if (arch === table!.auditArch) continue;
      expect(run(program, { nr: 39, arch })).toBe(EPERM);
    }
  });

  it("is short enough for the kernel and for its 8-bit jumps", () => {
    expect(program.length % 8).toBe(0);
    expect(program.length / 8).toBeLessThan(255);
  });
});

describe("the x32 ABI on x86_64", () => {
  it("refuses every number with the x32 bit, which would otherwise reach the same kernel functions", () => {
    const table = ARCH_TABLES.x64!;
    const program = buildProgram(table);
    for (const nr of [39, 0x40000000 + 39, 0x40000000 + 101, 0x40000000 + 521, 0x7fffffff]) {
      expect(run(program, { nr, arch: table.auditArch })).toBe(nr >= 0x40000000 ? EPERM : ALLOW);
    }
  });
});

it("has no table for an architecture it does not know, so the judge refuses to start the sandbox", () => {
  expect(seccompProgram("riscv64")).toBeUndefined();
  expect(seccompProgram("x64")).toBeInstanceOf(Buffer);
});
