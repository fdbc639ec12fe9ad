import LaunchPlan

/// One eBPF instruction, `struct bpf_insn` of <linux/bpf.h>: an opcode, destination and source
/// registers (4 bits each), a signed 16-bit offset and a signed 32-bit immediate.
struct BPFInstruction: Sendable, Equatable, CustomStringConvertible {
    var code: UInt8
    var destination: UInt8
    var source: UInt8
    var offset: Int16
    var immediate: Int32

    init(code: UInt8, destination: UInt8 = 0, source: UInt8 = 0, offset: Int16 = 0, immediate: Int32 = 0) {
        self.code = code
        self.destination = destination
        self.source = source
        self.offset = offset
        self.immediate = immediate
    }

    /// The 8 bytes the kernel reads, in the host's byte order; `dst_reg:4, src_reg:4` are C
    /// bit-fields, whose first member takes the low bits on a little-endian host.
    var bytes: [UInt8] {
        #if _endian(little)
        let registers = (destination & 0x0f) | (source & 0x0f) << 4
        #else
        let registers = (destination & 0x0f) << 4 | (source & 0x0f)
        #endif
        return [code, registers] + withUnsafeBytes(of: offset, Array.init)
            + withUnsafeBytes(of: immediate, Array.init)
    }

    var description: String {
        "{code 0x\(String(code, radix: 16)) dst r\(destination) src r\(source) off \(offset) imm \(immediate)}"
    }

    // Opcode parts (linux/bpf_common.h, linux/bpf.h): class | size/operation | source.
    static let classLDX: UInt8 = 0x01, classALU: UInt8 = 0x04, classJMP: UInt8 = 0x05
    static let classALU64: UInt8 = 0x07
    static let sizeWord: UInt8 = 0x00, modeMemory: UInt8 = 0x60
    static let sourceImmediate: UInt8 = 0x00, sourceRegister: UInt8 = 0x08
    static let operationAnd: UInt8 = 0x50, operationRightShift: UInt8 = 0x70
    static let operationMove: UInt8 = 0xb0
    static let jumpNotEqual: UInt8 = 0x50, jumpExit: UInt8 = 0x90

    /// `dst = *(u32 *)(src + offset)`.
    static func loadWord(_ destination: UInt8, from source: UInt8, offset: Int16) -> BPFInstruction {
        BPFInstruction(code: classLDX | sizeWord | modeMemory, destination: destination, source: source, offset: offset)
    }
    /// `(u32) dst &= immediate`.
    static func and32(_ destination: UInt8, _ immediate: Int32) -> BPFInstruction {
        BPFInstruction(code: classALU | operationAnd | sourceImmediate, destination: destination, immediate: immediate)
    }
    /// `(u32) dst >>= immediate`.
    static func rightShift32(_ destination: UInt8, _ immediate: Int32) -> BPFInstruction {
        BPFInstruction(code: classALU | operationRightShift | sourceImmediate, destination: destination, immediate: immediate)
    }
    /// `(u32) dst = src`.
    static func move32(_ destination: UInt8, register source: UInt8) -> BPFInstruction {
        BPFInstruction(code: classALU | operationMove | sourceRegister, destination: destination, source: source)
    }
    /// `dst = immediate` (64-bit).
    static func move64(_ destination: UInt8, _ immediate: Int32) -> BPFInstruction {
        BPFInstruction(code: classALU64 | operationMove | sourceImmediate, destination: destination, immediate: immediate)
    }
    /// `if dst != immediate goto pc + 1 + offset`.
    static func jumpIfNotEqual(_ destination: UInt8, _ immediate: Int32, skip offset: Int16) -> BPFInstruction {
        BPFInstruction(code: classJMP | jumpNotEqual | sourceImmediate, destination: destination, offset: offset, immediate: immediate)
    }
    /// `if dst != src goto pc + 1 + offset`.
    static func jumpIfNotEqual(_ destination: UInt8, register source: UInt8, skip offset: Int16) -> BPFInstruction {
        BPFInstruction(code: classJMP | jumpNotEqual | sourceRegister, destination: destination, source: source, offset: offset)
    }
    /// `return r0`.
    static let exit = BPFInstruction(code: classJMP | jumpExit)
}

/// The BPF_PROG_TYPE_CGROUP_DEVICE program for an allow-list, built by hand as crun
/// (src/libcrun/ebpf.c) and runc (libcontainer/cgroups/devices/devicefilter) do: no compiler,
/// no library. Pure, so the exact instructions and their meaning are unit-tested.
///
/// The kernel calls it with `struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }`
/// in r1, `access_type = access << 16 | type`, once per mknod or open of a device node by a
/// process in the cgroup; it returns 1 to allow, 0 to deny (EPERM).
///
///     r2 = type, r3 = access, r4 = major, r5 = minor
///     per rule:  if r2 != type goto next
///                [unless the rule allows rwm: w1 = w3; w1 &= rule access; if r1 != r3 goto next]
///                if r4 != major goto next
///                if r5 != minor goto next   [unless the rule allows every minor: `c 136:*`]
///                r0 = 1; exit
///     next …     r0 = 0; exit          (every device not listed is denied)
enum DeviceFilterProgram {
    /// `BPF_DEVCG_DEV_*` and `BPF_DEVCG_ACC_*` (linux/bpf.h).
    static let deviceBlock: Int32 = 1, deviceCharacter: Int32 = 2
    static let accessMknod: Int32 = 1, accessRead: Int32 = 2, accessWrite: Int32 = 4

    /// The registers the prologue fills.
    static let context: UInt8 = 1, scratch: UInt8 = 1, type: UInt8 = 2, access: UInt8 = 3
    static let major: UInt8 = 4, minor: UInt8 = 5, result: UInt8 = 0

    /// The program allowing exactly `rules`; an empty list denies every device.
    static func instructions(allowing rules: [DeviceRule]) -> [BPFInstruction] {
        typealias I = BPFInstruction
        var program: [BPFInstruction] = [
            I.loadWord(type, from: context, offset: 0),
            I.and32(type, 0xffff),
            I.loadWord(access, from: context, offset: 0),
            I.rightShift32(access, 16),
            I.loadWord(major, from: context, offset: 4),
            I.loadWord(minor, from: context, offset: 8),
        ]
        for rule in rules {
            // Every test jumps to the end of the block (past its two accept instructions).
            let checksAccess = rule.access != .all
            let end = program.count + (checksAccess ? 8 : 5) - (rule.minor == nil ? 1 : 0)
            func toEnd() -> Int16 { Int16(end - (program.count + 1)) }
            program.append(I.jumpIfNotEqual(type, kind(rule.kind), skip: toEnd()))
            if checksAccess {
                // Allowed when the requested bits are a subset of the rule's.
                program.append(I.move32(scratch, register: access))
                program.append(I.and32(scratch, mask(rule.access)))
                program.append(I.jumpIfNotEqual(scratch, register: access, skip: toEnd()))
            }
            program.append(I.jumpIfNotEqual(major, Int32(bitPattern: rule.major), skip: toEnd()))
            if let ruleMinor = rule.minor {
                program.append(I.jumpIfNotEqual(minor, Int32(bitPattern: ruleMinor), skip: toEnd()))
            }
            program.append(I.move64(result, 1))
            program.append(I.exit)
        }
        program.append(I.move64(result, 0))
        program.append(I.exit)
        return program
    }

    static func kind(_ kind: DeviceRule.Kind) -> Int32 {
        switch kind {
        case .character: deviceCharacter
        case .block: deviceBlock
        }
    }

    /// The rule's access as `BPF_DEVCG_ACC_*` bits.
    static func mask(_ access: DeviceRule.Access) -> Int32 {
        (access.contains(.read) ? accessRead : 0) | (access.contains(.write) ? accessWrite : 0)
            | (access.contains(.mknod) ? accessMknod : 0)
    }
}
