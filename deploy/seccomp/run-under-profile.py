#!/usr/bin/env python3
"""Runs a command under an OCI/Docker seccomp profile, loaded the way runc loads it (libseccomp).

    run-under-profile.py [--user UID:GID] PROFILE.json COMMAND [ARG...]
        switch to UID:GID (no supplementary groups) when given, load the profile, exec COMMAND
    run-under-profile.py [--user UID:GID] PROFILE.json --probe
        the same, then try a few syscalls and print what each returned as JSON
    run-under-profile.py --probe
        the same syscalls without any filter
    run-under-profile.py --unknown PROFILE.json
        print the syscall names of the profile that no listed architecture has (typos), as JSON

Needs only Python's standard library and libseccomp.so.2 (Debian's libseccomp2, which apt and
systemd depend on), so deploy/test/images.test.ts can check deploy/seccomp/fleetwatch-node.json on a
machine without a container runtime. What it follows from runc (libcontainer/seccomp):
  - defaultAction and defaultErrnoRet become the filter's default action (EPERM when unset);
  - every listed architecture is added to the filter (the native one is always in it);
  - a rule whose action equals the default action is skipped;
  - a syscall name this libseccomp does not know on any listed architecture is skipped;
  - a rule's args are ANDed in one rule, unless two of them name the same argument index, in which
    case each becomes a rule of its own (ORed);
  - SCMP_ACT_ERRNO uses the rule's errnoRet, EPERM when unset.
The filter also sets no_new_privs (libseccomp's default), as Kubernetes does with
allowPrivilegeEscalation: false; then, as runc does, the user is switched before the filter is
loaded, and the filter is loaded right before exec.
"""
import ctypes
import ctypes.util
import errno
import json
import os
import sys

ACTIONS = {
    "SCMP_ACT_KILL": 0x00000000,
    "SCMP_ACT_KILL_THREAD": 0x00000000,
    "SCMP_ACT_KILL_PROCESS": 0x80000000,
    "SCMP_ACT_TRAP": 0x00030000,
    "SCMP_ACT_ERRNO": 0x00050000,
    "SCMP_ACT_LOG": 0x7FFC0000,
    "SCMP_ACT_ALLOW": 0x7FFF0000,
}
OPERATORS = {
    "SCMP_CMP_NE": 1,
    "SCMP_CMP_LT": 2,
    "SCMP_CMP_LE": 3,
    "SCMP_CMP_EQ": 4,
    "SCMP_CMP_GE": 5,
    "SCMP_CMP_GT": 6,
    "SCMP_CMP_MASKED_EQ": 7,
}
NR_SCMP_ERROR = -1


class ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


def libseccomp():
    lib = ctypes.CDLL(ctypes.util.find_library("seccomp") or "libseccomp.so.2", use_errno=True)
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_arch_resolve_name.restype = ctypes.c_uint32
    lib.seccomp_arch_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_arch_add.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.restype = ctypes.c_int
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_syscall_resolve_name_arch.restype = ctypes.c_int
    lib.seccomp_syscall_resolve_name_arch.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(ArgCmp),
    ]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    return lib


def action_of(name, errno_ret):
    if name not in ACTIONS:
        raise SystemExit(f"unsupported action {name}")
    value = ACTIONS[name]
    if name == "SCMP_ACT_ERRNO":
        value |= (errno.EPERM if errno_ret is None else errno_ret) & 0xFFFF
    return value


def read_profile(path):
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def arch_token(lib, arch):
    token = lib.seccomp_arch_resolve_name(arch.removeprefix("SCMP_ARCH_").lower().encode())
    if token == 0:
        raise SystemExit(f"unknown architecture {arch}")
    return token


def unknown_names(path):
    profile = read_profile(path)
    lib = libseccomp()
    tokens = [arch_token(lib, arch) for arch in profile.get("architectures") or []]
    names = sorted({name for rule in profile.get("syscalls") or [] for name in rule["names"]})
    unknown = [
        name
        for name in names
        if all(lib.seccomp_syscall_resolve_name_arch(token, name.encode()) == NR_SCMP_ERROR for token in tokens)
    ]
    print(json.dumps(unknown))


def load_profile(path):
    profile = read_profile(path)
    lib = libseccomp()
    default_action = action_of(profile["defaultAction"], profile.get("defaultErrnoRet"))
    ctx = lib.seccomp_init(default_action)
    if not ctx:
        raise SystemExit("seccomp_init failed")
    for arch in profile.get("architectures") or []:
        result = lib.seccomp_arch_add(ctx, arch_token(lib, arch))
        if result not in (0, -errno.EEXIST):
            raise SystemExit(f"seccomp_arch_add({arch}) failed: {os.strerror(-result)}")
    for rule in profile.get("syscalls") or []:
        action = action_of(rule["action"], rule.get("errnoRet"))
        if action == default_action:
            continue
        args = rule.get("args") or []
        indexes = [arg["index"] for arg in args]
        groups = [[arg] for arg in args] if len(set(indexes)) < len(indexes) else [args]
        for name in rule["names"]:
            number = lib.seccomp_syscall_resolve_name(name.encode())
            if number == NR_SCMP_ERROR:
                continue
            for group in groups:
                array = (ArgCmp * max(len(group), 1))(
                    *[
                        ArgCmp(arg["index"], OPERATORS[arg["op"]], arg["value"], arg.get("valueTwo", 0))
                        for arg in group
                    ]
                )
                result = lib.seccomp_rule_add_array(ctx, action, number, len(group), array)
                if result != 0:
                    raise SystemExit(f"seccomp_rule_add({name}) failed: {os.strerror(-result)}")
    result = lib.seccomp_load(ctx)
    if result != 0:
        raise SystemExit(f"seccomp_load failed: {os.strerror(-result)}")


def probe():
    """Syscalls called with arguments that fail harmlessly when allowed, with an errno other than
    the filter's, so the output tells a refusal by the filter from the kernel's own answer."""
    lib = libseccomp()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long

    def call(name, *args):
        number = lib.seccomp_syscall_resolve_name(name.encode())
        result = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(arg) for arg in args])
        if result < 0:
            return errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))
        if name == "socket":
            os.close(result)
        return "ok"

    af_inet, af_netlink, af_alg = 2, 16, 38
    sock_stream, sock_raw, sock_seqpacket = 1, 3, 5
    netlink_route, netlink_kobject_uevent = 0, 15
    results = {
        "getpid": call("getpid"),
        "socket(AF_INET)": call("socket", af_inet, sock_stream, 0),
        "socket(AF_NETLINK, NETLINK_ROUTE)": call("socket", af_netlink, sock_raw, netlink_route),
        "socket(AF_NETLINK, NETLINK_KOBJECT_UEVENT)": call(
            "socket", af_netlink, sock_raw, netlink_kobject_uevent
        ),
        "socket(AF_ALG)": call("socket", af_alg, sock_seqpacket, 0),
        # A user namespace: what container escapes start from.
        "unshare(CLONE_NEWUSER)": call("unshare", 0x10000000),
        # PTRACE_ATTACH to a pid that does not exist: ESRCH when allowed.
        "ptrace(PTRACE_ATTACH)": call("ptrace", 16, 0x3FFFFFFF, 0, 0),
        # KEYCTL_GET_KEYRING_ID of a keyring id that does not exist: EINVAL when allowed.
        "keyctl": call("keyctl", 0, -99, 0),
        # BPF_MAP_CREATE without attributes: EFAULT or EINVAL (EPERM unprivileged) when allowed.
        "bpf": call("bpf", 0, 0, 0),
        # 0xffffffff only queries the personality when allowed.
        "personality": call("personality", 0xFFFFFFFF),
        # No parameters: EFAULT when allowed.
        "io_uring_setup": call("io_uring_setup", 1, 0),
        # Arguments clone3 rejects (EINVAL) when allowed; the profile answers ENOSYS instead.
        "clone3": call("clone3", 0, 0),
    }
    print(json.dumps(results))


def main(args):
    if args == ["--probe"]:
        probe()
        return
    if len(args) == 2 and args[0] == "--unknown":
        unknown_names(args[1])
        return
    user = None
    if args[:1] == ["--user"] and len(args) > 1:
        uid, _, gid = args[1].partition(":")
        user = (int(uid), int(gid or uid))
        args = args[2:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    profile, command = args[0], args[1:]
    if user is not None:
        os.setgroups([])
        os.setgid(user[1])
        os.setuid(user[0])
    load_profile(profile)
    if command == ["--probe"]:
        probe()
        return
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
