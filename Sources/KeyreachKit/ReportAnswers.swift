import Exposure
import Foundation
import Render

/// `keyreach report --html`: the exposure answer and `suggest`'s findings,
/// rendered as one self-contained page.
extension Workspace {
    /// The page for the keys of `namespace` (every namespace when `nil`),
    /// titled `title`.
    public func htmlReport(namespace: String?, expectedHolders: ExpectedHolders, title: String) throws -> String {
        // Per key, as `exposure` lists them: a copied key is one entry naming its copies.
        let exposures = try keyExposures(namespace: namespace, expectedHolders: expectedHolders)
        let suggestion = try suggest(namespace: namespace, expectedHolders: expectedHolders)
        return HTMLReport.render(exposures, findings: suggestion.findings, title: title)
    }

    /// Writes ``htmlReport(namespace:expectedHolders:title:)`` to `path` and
    /// returns its size in bytes.
    @discardableResult
    public func writeHTMLReport(to path: String, namespace: String?, expectedHolders: ExpectedHolders,
                                title: String) throws -> Int {
        let page = Data(try htmlReport(namespace: namespace, expectedHolders: expectedHolders, title: title).utf8)
        do {
            try page.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw KeyreachError("cannot write \(path): \(error.localizedDescription); give a path in a folder you can write")
        }
        return page.count
    }
}
