import Exposure
import Render

/// `exposure`'s answer written the way who-can -A writes its own: the keys
/// rendered on every core, in blocks, and written in order, so table, JSON
/// and YAML cost alike and the whole output never sits in memory twice.
extension Workspace {
    /// Writes `exposures` as `format`: JSON and YAML list every key; the table
    /// its summary, the keys `limit` selects, then what it leaves out.
    public func writeExposures(_ exposures: [KeyExposure], format: OutputFormat, limit: KeyLimit = .criticalAndHigh,
                               write: ([UInt8]) -> Void) {
        guard format != .table else {
            let parts = ExposureRenderer.tableParts(exposures, limit: limit)
            write(Array(parts.head.utf8))
            let keys = parts.keys
            ParallelBlocks.render(count: keys.count) { ExposureRenderer.renderElement(keys[$0], as: .table) } write: { write($0) }
            write(Array(parts.tail.utf8))
            return
        }
        let framing = WhoCanRenderer.listFraming(format)
        guard !exposures.isEmpty else { return write(framing.empty) }
        write(framing.open)
        ParallelBlocks.render(count: exposures.count, separator: framing.separator) {
            ExposureRenderer.renderElement(exposures[$0], as: format)
        } write: { write($0) }
        write(framing.close)
    }
}
