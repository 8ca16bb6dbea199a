/**
 * The seccomp filter every sandboxed process runs under, as the compiled classic-BPF program that
 * bubblewrap's `--seccomp FD` loads (an array of `struct sock_filter`, native byte order).
 *
 * No maintained npm package compiles seccomp filters, and libseccomp would need a C toolchain on every
 * machine, so this is a tiny assembler for the one shape of program we need: a deny list.
 *
 *   1. Check `seccomp_data.arch`. Syscall numbers mean something only for one ABI: on x86_64 a process
 *      can still enter the kernel through the 32-bit `int 0x80` gate (arch AUDIT_ARCH_I386) where
 *      `ptrace` has another number. Any foreign arch is refused outright (EPERM), so no table is bypassed.
 *   2. On x86_64, refuse every number with the x32 bit (0x40000000) set: x32 calls share the arch value
 *      of x86_64 but reach the same kernel functions under other numbers.
 *   3. Refuse the listed syscalls with EPERM. `clone3` gets ENOSYS instead, so glibc falls back to
 *      `clone`, whose flags (unlike clone3's struct) the filter can inspect: namespace flags are refused.
 *   4. Allow the rest.
 *
 * Only x86_64 and aarch64 have tables; on any other machine `seccompProgram` returns undefined and the
 * judge logs that the filter is unavailable (and the self-test refuses to call the sandbox hardened).
 */

/** Why each group is refused; the names are the kernel's, numbers per ABI below. */
export const DENIED_SYSCALLS = [
  // Altering or reading another process (bwrap's init, the pid namespace's other members).
  "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd", "kcmp", "process_madvise",
  // Large kernel attack surface no solution needs.
  "io_uring_setup", "io_uring_enter", "io_uring_register", "bpf", "perf_event_open", "userfaultfd",
  "keyctl", "add_key", "request_key", "fanotify_init", "lookup_dcookie", "syslog", "acct", "quotactl",
  // Changing the mount table or namespaces (the sandbox's walls).
  "mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
  "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
  // The kernel itself.
  "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff",
  // File handles bypass the mount namespace (the Shocker escape).
  "open_by_handle_at", "name_to_handle_at",
  // Memory that RLIMIT_AS does not count while unmapped: memfd and System V IPC.
  "memfd_create", "memfd_secret",
  "shmget", "shmat", "shmctl", "shmdt", "msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semctl", "semtimedop",
] as const;

export type SyscallName = (typeof DENIED_SYSCALLS)[number] | "clone" | "clone3";

export interface ArchTable {
  /** AUDIT_ARCH_* value seen in seccomp_data.arch. */
  auditArch: number;
  /** Numbers at or above this are another ABI sharing the arch value (x86_64's x32); undefined if none. */
  foreignAbiBit?: number;
  numbers: Record<SyscallName, number>;
}

/** From the kernel's arch/x86/entry/syscalls/syscall_64.tbl (checked against asm/unistd_64.h). */
const X86_64: ArchTable = {
  auditArch: 0xc000003e,
  foreignAbiBit: 0x40000000,
  numbers: {
    ptrace: 101, process_vm_readv: 310, process_vm_writev: 311, pidfd_getfd: 438, kcmp: 312, process_madvise: 440,
    io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, bpf: 321, perf_event_open: 298, userfaultfd: 323,
    keyctl: 250, add_key: 248, request_key: 249, fanotify_init: 300, lookup_dcookie: 212, syslog: 103, acct: 163, quotactl: 179,
    mount: 165, umount2: 166, pivot_root: 155, chroot: 161, unshare: 272, setns: 308,
    open_tree: 428, move_mount: 429, fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433, mount_setattr: 442,
    kexec_load: 246, kexec_file_load: 320, init_module: 175, finit_module: 313, delete_module: 176, reboot: 169, swapon: 167, swapoff: 168,
    open_by_handle_at: 304, name_to_handle_at: 303,
    memfd_create: 319, memfd_secret: 447,
    shmget: 29, shmat: 30, shmctl: 31, shmdt: 67, msgget: 68, msgsnd: 69, msgrcv: 70, msgctl: 71, semget: 64, semop: 65, semctl: 66, semtimedop: 220,
    clone: 56, clone3: 435,
  },
};

/** From include/uapi/asm-generic/unistd.h, which arm64 uses. */
const AARCH64: ArchTable = {
  auditArch: 0xc00000b7,
  numbers: {
    ptrace: 117, process_vm_readv: 270, process_vm_writev: 271, pidfd_getfd: 438, kcmp: 272, process_madvise: 440,
    io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427, bpf: 280, perf_event_open: 241, userfaultfd: 282,
    keyctl: 219, add_key: 217, request_key: 218, fanotify_init: 262, lookup_dcookie: 18, syslog: 116, acct: 89, quotactl: 60,
    mount: 40, umount2: 39, pivot_root: 41, chroot: 51, unshare: 97, setns: 268,
    open_tree: 428, move_mount: 429, fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433, mount_setattr: 442,
    kexec_load: 104, kexec_file_load: 294, init_module: 105, finit_module: 273, delete_module: 106, reboot: 142, swapon: 224, swapoff: 225,
    open_by_handle_at: 265, name_to_handle_at: 264,
    memfd_create: 279, memfd_secret: 447,
    shmget: 194, shmat: 196, shmctl: 195, shmdt: 197, msgget: 186, msgsnd: 189, msgrcv: 188, msgctl: 187, semget: 190, semop: 193, semctl: 191, semtimedop: 192,
    clone: 220, clone3: 435,
  },
};

/** Keyed by Node's `process.arch`. */
export const ARCH_TABLES: Partial<Record<string, ArchTable>> = { x64: X86_64, arm64: AARCH64 };

// Classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h).
const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_JSET_K = 0x45;
const BPF_RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
export const EPERM = 1;
const ENOSYS = 38;

// struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; }
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
/** Low 32 bits of args[0] on a little-endian machine (both supported arches are). */
const OFFSET_ARG0_LOW = 16;

/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. */
const CLONE_NAMESPACE_FLAGS = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

type Label = "deny" | "enosys" | "allow";
type Insn =
  | { op: "ld"; offset: number }
  | { op: "jeq" | "jge" | "jset"; k: number; then: Label | number; else?: Label | number }
  | { op: "ret"; k: number; label?: Label };

/**
 * Jumps are relative and at most 255 instructions forward; `then`/`else` name a label (a ret at the end)
 * or give a relative skip. The deny list is ~60 entries, well within range.
 */
function assemble(program: Insn[]): Buffer {
  const labels = new Map<Label, number>();
  program.forEach((insn, index) => {
    if (insn.op === "ret" && insn.label) labels.set(insn.label, index);
  });
  const out = Buffer.alloc(program.length * 8);
  const offset = (from: number, target: Label | number | undefined): number => {
    if (target === undefined) return 0;
    const distance = typeof target === "number" ? target : labels.get(target)! - from - 1;
    if (!Number.isInteger(distance) || distance < 0 || distance > 255) throw new Error(`seccomp: jump out of range (${String(target)})`);
    return distance;
  };
  program.forEach((insn, index) => {
    let code: number;
    let jt = 0;
    let jf = 0;
    let k: number;
    if (insn.op === "ld") {
      code = BPF_LD_W_ABS;
      k = insn.offset;
    } else if (insn.op === "ret") {
      code = BPF_RET_K;
      k = insn.k;
    } else {
      code = insn.op === "jeq" ? BPF_JEQ_K : insn.op === "jge" ? BPF_JGE_K : BPF_JSET_K;
      jt = offset(index, insn.then);
      jf = offset(index, insn.else);
      k = insn.k;
    }
    // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }, little-endian.
    out.writeUInt16LE(code, index * 8);
    out.writeUInt8(jt, index * 8 + 2);
    out.writeUInt8(jf, index * 8 + 3);
    out.writeUInt32LE(k >>> 0, index * 8 + 4);
  });
  return out;
}

export function buildProgram(table: ArchTable): Buffer {
  const program: Insn[] = [
    { op: "ld", offset: OFFSET_ARCH },
    { op: "jeq", k: table.auditArch, then: 1 },
    { op: "ret", k: RET_ERRNO | EPERM },
    { op: "ld", offset: OFFSET_NR },
  ];
  if (table.foreignAbiBit !== undefined) program.push({ op: "jge", k: table.foreignAbiBit, then: "deny" });
  for (const name of DENIED_SYSCALLS) program.push({ op: "jeq", k: table.numbers[name], then: "deny" });
  program.push(
    { op: "jeq", k: table.numbers.clone3, then: "enosys" },
    { op: "jeq", k: table.numbers.clone, then: 0, else: "allow" },
    { op: "ld", offset: OFFSET_ARG0_LOW },
    { op: "jset", k: CLONE_NAMESPACE_FLAGS, then: "deny", else: "allow" },
    { op: "ret", k: RET_ALLOW, label: "allow" },
    { op: "ret", k: RET_ERRNO | EPERM, label: "deny" },
    { op: "ret", k: RET_ERRNO | ENOSYS, label: "enosys" },
  );
  return assemble(program);
}

/** The filter for this machine, or undefined when its architecture has no table here. */
export function seccompProgram(arch: string = process.arch): Buffer | undefined {
  const table = ARCH_TABLES[arch];
  return table ? buildProgram(table) : undefined;
}
