import DumpReader
import Foundation

// libFuzzer's entry point: every input is read as a .yaml dump, through the
// whole reader (scanner, document split, object mapping, secret stripping).
// A thrown DumpError is the reader doing its job; a crash, a hang or a
// sanitizer report is a bug, and its input becomes a regression test.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    // The node limit is a tenth of the default so one input stays well under
    // libFuzzer's timeout with the address sanitizer on (the same code path).
    let limits = ReadLimits(maxNodesPerDocument: 100_000)
    _ = try? DumpReader(limits: limits, cores: 1).read([.data(bytes, name: "fuzz.yaml")])
    return 0
}

// SwiftPM links an executable's entry point as <module>_main: hand it to
// libFuzzer's driver (its own main is not linked then).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzYAML_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv) { fuzzOneInput($0, $1) }
}
