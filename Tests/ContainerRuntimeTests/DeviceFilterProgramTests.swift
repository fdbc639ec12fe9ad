import CLinuxShim
import LaunchPlan
import Testing
import TestSupport
@testable import ContainerRuntime

/// The eBPF device filter's instructions: their exact form for a small list, their encoding,
/// and their meaning, checked by running them in a tiny interpreter against the rule list's
/// own semantics (`DeviceRule.allows`) for many random lists and requests.
@Suite struct DeviceFilterProgramTests {
    typealias I = BPFInstruction

    /// The values the generator uses are the kernel header's (through the shim).
    @Test func constantsAreLinuxBPFHs() {
        #expect(DeviceFilterProgram.deviceBlock == Int32(CLS_BPF_DEVCG_DEV_BLOCK))
        #expect(DeviceFilterProgram.deviceCharacter == Int32(CLS_BPF_DEVCG_DEV_CHAR))
        #expect(DeviceFilterProgram.accessMknod == Int32(CLS_BPF_DEVCG_ACC_MKNOD))
        #expect(DeviceFilterProgram.accessRead == Int32(CLS_BPF_DEVCG_ACC_READ))
        #expect(DeviceFilterProgram.accessWrite == Int32(CLS_BPF_DEVCG_ACC_WRITE))
        #expect(CLS_BPF_INSN_SIZE == 8)
    }

    /// `r2 = *(u32 *)(r1 + 0)` is 61 12 00 00 00 00 00 00; `if r4 != 0x1234 goto +3` is
    /// 55 04 03 00 34 12 00 00 (the encoding clang/bpftool show).
    @Test func encoding() {
        #expect(I.loadWord(2, from: 1, offset: 0).bytes == [0x61, 0x12, 0, 0, 0, 0, 0, 0])
        #expect(I.jumpIfNotEqual(4, 0x1234, skip: 3).bytes == [0x55, 0x04, 3, 0, 0x34, 0x12, 0, 0])
        #expect(I.jumpIfNotEqual(1, register: 3, skip: -2).bytes == [0x5d, 0x31, 0xfe, 0xff, 0, 0, 0, 0])
        #expect(I.move64(0, -1).bytes == [0xb7, 0, 0, 0, 0xff, 0xff, 0xff, 0xff])
        #expect(I.exit.bytes == [0x95, 0, 0, 0, 0, 0, 0, 0])
    }

    /// The program for a two-rule list, instruction by instruction: the prologue, a full-access
    /// rule (no access test), a read-only block rule, the default deny.
    @Test func exactInstructionsForASmallList() {
        let program = DeviceFilterProgram.instructions(allowing: [
            DeviceRule(kind: .character, major: 1, minor: 3, access: .all),
            DeviceRule(kind: .block, major: 8, minor: 0, access: .read),
        ])
        #expect(
            program == [
                I.loadWord(2, from: 1, offset: 0), I.and32(2, 0xffff),
                I.loadWord(3, from: 1, offset: 0), I.rightShift32(3, 16),
                I.loadWord(4, from: 1, offset: 4), I.loadWord(5, from: 1, offset: 8),
                // c 1:3 rwm
                I.jumpIfNotEqual(2, 2, skip: 4), I.jumpIfNotEqual(4, 1, skip: 3), I.jumpIfNotEqual(5, 3, skip: 2),
                I.move64(0, 1), I.exit,
                // b 8:0 r
                I.jumpIfNotEqual(2, 1, skip: 7),
                I.move32(1, register: 3), I.and32(1, 2), I.jumpIfNotEqual(1, register: 3, skip: 4),
                I.jumpIfNotEqual(4, 8, skip: 3), I.jumpIfNotEqual(5, 0, skip: 2),
                I.move64(0, 1), I.exit,
                // everything else
                I.move64(0, 0), I.exit,
            ])
    }

    @Test func anEmptyListDeniesEverything() throws {
        let program = DeviceFilterProgram.instructions(allowing: [])
        #expect(program.count == 8)
        for kind in DeviceRule.Kind.allCases {
            #expect(try BPFInterpreter.run(program, kind: kind, major: 1, minor: 3, access: .read) == false)
        }
    }

    /// The nodes of every container: each allowed for r, w, m and any mix; their neighbours
    /// (1:11 kmsg, 1:1 mem, the same numbers as a block device) denied.
    @Test func theContainerDefaultsAllowExactlyTheirNodes() throws {
        let program = DeviceFilterProgram.instructions(allowing: ContainerDefaults.deviceRules)
        let accesses: [DeviceRule.Access] = [.read, .write, .mknod, [.read, .write], .all]
        for node in ContainerDefaults.deviceNodes {
            for access in accesses {
                #expect(try BPFInterpreter.run(program, kind: .character, major: node.major, minor: node.minor, access: access))
                #expect(try !BPFInterpreter.run(program, kind: .block, major: node.major, minor: node.minor, access: access))
            }
        }
        for (major, minor) in [(1, 1), (1, 11), (4, 64), (5, 1), (10, 200), (0, 0)] as [(UInt32, UInt32)] {
            #expect(try !BPFInterpreter.run(program, kind: .character, major: major, minor: minor, access: .read))
        }
        #expect(try !BPFInterpreter.run(program, kind: .block, major: 7, minor: 0, access: .mknod))
        // The container's devpts: its ptmx and every slave, and nothing next to them.
        for (major, minor) in [(5, 2), (136, 0), (136, 1), (136, 1_048_575)] as [(UInt32, UInt32)] {
            #expect(try BPFInterpreter.run(program, kind: .character, major: major, minor: minor, access: .all))
            #expect(try !BPFInterpreter.run(program, kind: .block, major: major, minor: minor, access: .read))
        }
        for (major, minor) in [(5, 3), (135, 0), (137, 0), (128, 0)] as [(UInt32, UInt32)] {
            #expect(try !BPFInterpreter.run(program, kind: .character, major: major, minor: minor, access: .read))
        }
    }

    /// Property: for random lists (numbers from a small pool, so rules collide and overlap)
    /// and random requests, the program allows exactly when some rule allows.
    @Test func theProgramAgreesWithTheRuleList() throws {
        var random = SeededRandom(state: 0xde7f_11e5)
        let numbers: [UInt32] = [0, 1, 3, 7, 8, 4095, 65_535, 65_536, 1_048_575]
        let accesses: [DeviceRule.Access] = (1...7).map { DeviceRule.Access(rawValue: UInt8($0)) }
        func pick<T>(_ values: [T]) -> T { values[random.below(values.count)] }
        var allowed = 0, denied = 0
        for round in 0..<300 {
            let rules = (0..<random.below(6)).map { _ in
                // One rule in five allows every minor (`c 136:*`).
                DeviceRule(
                    kind: pick(DeviceRule.Kind.allCases), major: pick(numbers),
                    minor: random.below(5) == 0 ? nil : pick(numbers), access: pick(accesses))
            }
            let program = DeviceFilterProgram.instructions(allowing: rules)
            for _ in 0..<30 {
                var kind = pick(DeviceRule.Kind.allCases), major = pick(numbers), minor = pick(numbers)
                // Half the requests aim at a listed device (and then hit or miss on access,
                // or on one changed field), so that allow and deny both occur often.
                if !rules.isEmpty, random.below(2) == 0 {
                    let target = pick(rules)
                    (kind, major, minor) = (target.kind, target.major, target.minor ?? pick(numbers))
                    switch random.below(6) {
                    case 0: kind = kind == .block ? .character : .block
                    case 1: major = pick(numbers)
                    case 2: minor = pick(numbers)
                    default: break
                    }
                }
                let access = pick(accesses)
                let expected = rules.contains { $0.allows(kind, major: major, minor: minor, access: access) }
                let got = try BPFInterpreter.run(program, kind: kind, major: major, minor: minor, access: access)
                #expect(got == expected, "round \(round): \(rules.map(\.text)) on \(kind.rawValue) \(major):\(minor) \(access.letters)")
                if expected { allowed += 1 } else { denied += 1 }
            }
        }
        // Both outcomes were exercised often enough for the property to mean something.
        #expect(allowed > 600 && denied > 3_000, "allowed \(allowed), denied \(denied)")
    }
}

/// Runs the subset of eBPF the generator emits, decoding each instruction from its 8 bytes
/// (so the encoding is tested too), on a `bpf_cgroup_dev_ctx`. Anything else is an error.
enum BPFInterpreter {
    struct Unsupported: Error, CustomStringConvertible { var description: String }

    static func run(
        _ program: [BPFInstruction], kind: DeviceRule.Kind, major: UInt32, minor: UInt32, access: DeviceRule.Access
    ) throws -> Bool {
        let context: [UInt32] = [
            UInt32(bitPattern: DeviceFilterProgram.mask(access)) << 16 | UInt32(bitPattern: DeviceFilterProgram.kind(kind)),
            major, minor,
        ]
        let code = program.flatMap(\.bytes)
        var registers = [UInt64](repeating: 0, count: 11)
        var pc = 0, executed = 0
        var r1IsContext = true  // until an ALU or load instruction writes r1
        while true {
            guard pc >= 0, pc * 8 + 8 <= code.count else { throw Unsupported(description: "pc \(pc) outside the program") }
            executed += 1
            guard executed < 10_000 else { throw Unsupported(description: "no exit") }
            let bytes = code[(pc * 8)..<(pc * 8 + 8)]
            let op = bytes[bytes.startIndex]
            let dst = Int(bytes[bytes.startIndex + 1] & 0x0f), src = Int(bytes[bytes.startIndex + 1] >> 4)
            let offset = Int(Int16(bitPattern: UInt16(bytes[bytes.startIndex + 2]) | UInt16(bytes[bytes.startIndex + 3]) << 8))
            let immediate = Int32(bitPattern: bytes[(bytes.startIndex + 4)...].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) })
            let signExtended = UInt64(bitPattern: Int64(immediate))
            pc += 1
            switch op {
            case 0x61:  // ldxw: only aligned loads from the 12-byte context in r1
                guard src == 1, r1IsContext, offset % 4 == 0, (0..<12).contains(offset) else {
                    throw Unsupported(description: "load from r\(src)+\(offset)")
                }
                registers[dst] = UInt64(context[offset / 4])
            case 0x54: registers[dst] = (registers[dst] & 0xffff_ffff) & UInt64(UInt32(bitPattern: immediate))  // and32 imm
            case 0x74: registers[dst] = UInt64(UInt32(truncatingIfNeeded: registers[dst]) >> (UInt32(bitPattern: immediate) & 31))  // rsh32 imm
            case 0xbc: registers[dst] = registers[src] & 0xffff_ffff  // mov32 reg
            case 0xb7: registers[dst] = signExtended  // mov64 imm
            case 0x55: if registers[dst] != signExtended { pc += offset }  // jne imm (64-bit)
            case 0x5d: if registers[dst] != registers[src] { pc += offset }  // jne reg (64-bit)
            case 0x95:
                guard registers[0] <= 1 else { throw Unsupported(description: "returns \(registers[0])") }
                return registers[0] == 1
            default: throw Unsupported(description: "opcode 0x\(String(op, radix: 16))")
            }
            if dst == 1, op != 0x55, op != 0x5d { r1IsContext = false }
        }
    }
}
