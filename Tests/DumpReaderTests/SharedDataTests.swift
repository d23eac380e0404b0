import Testing
import TestSupport

/// Outside CI a clone without `../shared/` skips the suites that need it; under
/// `CI=true` every folder must be there, or the skips would hide real tests.
@Suite struct SharedDataTests {
    @Test(arguments: SharedData.all.map(\.name))
    func presentUnderCI(name: String) {
        SharedData(name: name).presenceUnderCI()
    }
}
