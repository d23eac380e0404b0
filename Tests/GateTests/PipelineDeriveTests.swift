import KeyreachKit
import KubeModel
import RBAC
import Testing

/// The pipeline computes the derived tables on two cores; the result must be
/// exactly the engine's own `AccessIndexer.compute`, row for row and in order.
@Suite struct PipelineDeriveTests {
    @Test(arguments: Fixture.dumps) func twoCoreDeriveEqualsTheEngine(_ name: String) throws {
        let snapshot = try Fixture.workspace(name).snapshot()
        let derived = ImportPipeline.derive(snapshot)
        #expect(derived == AccessIndexer.compute(snapshot))
        #expect(!derived.identities.isEmpty)
    }
}
