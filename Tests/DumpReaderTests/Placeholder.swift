import Testing
import KubeModel
@Test func wellKnownSplit() { #expect(WellKnown.splitServiceAccountUsername("system:serviceaccount:a:b")! == ("a","b")) }
