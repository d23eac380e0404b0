import ArgumentParser
import DumpReader
import Foundation
import KeyreachKit
import Render

/// Errors the CLI reports itself, with the exit code scripts rely on.
enum CLIError: Error, CustomStringConvertible {
    /// Bad arguments or missing inputs: exit 2.
    case usage(String)

    var description: String {
        switch self {
        case .usage(let message): message
        }
    }
}

/// Exit codes: 0 yes/ok, 1 no/findings, 2 bad input or usage.
enum ExitStatus {
    static let badInput = ExitCode(2)
}

/// stderr helpers: warnings and progress never mix with the answer on stdout.
enum Console {
    static let stderrIsTerminal = isatty(2) == 1

    /// Colour on stdout only when it is a terminal and NO_COLOR is unset or empty.
    static var stdoutPalette: Palette {
        Palette(enabled: Palette.shouldColour(isTerminal: isatty(1) == 1, environment: ProcessInfo.processInfo.environment))
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    @Sendable static func showProgress(_ progress: ReadProgress) {
        let percent = progress.totalBytes > 0 ? 100 * progress.bytesRead / progress.totalBytes : 0
        let megabytes = progress.bytesRead / 1_000_000
        FileHandle.standardError.write(Data("\r\u{1B}[Kreading \(progress.file): \(megabytes) MB (\(percent)%)".utf8))
    }

    static func endProgress() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }

    static func write(_ text: String) { write(Array(text.utf8)) }

    /// Runs a command body, turning input errors into a message and exit 2.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DumpError {
            self.error(error.description)
            throw ExitStatus.badInput
        } catch let error as CLIError {
            self.error(error.description)
            throw ExitStatus.badInput
        } catch let error as KeyreachError {
            self.error(error.description)
            throw ExitStatus.badInput
        } catch let error as ExitCode {
            throw error
        } catch {
            // Anything else (a database that is not keyreach's, a full disk):
            // never exit 1, which means "no" to scripts.
            self.error(String(describing: error))
            throw ExitStatus.badInput
        }
    }
}
