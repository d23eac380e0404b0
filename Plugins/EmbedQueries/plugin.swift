import Foundation
import PackagePlugin

/// Embeds the `.sql` files of the top-level `queries/` folder into the target
/// that uses the plugin (the `Queries` module), so a query is data a user can
/// read and copy, and adding one is adding a file: no list to edit.
@main
struct EmbedQueries: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let folder = context.package.directoryURL.appendingPathComponent("queries")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedQueries.swift")
        // The folder itself is an input too, so adding or removing a file reruns the tool,
        // which lists the folder itself rather than trusting a list made before.
        return [.buildCommand(
            displayName: "Embedding the named queries of queries/",
            executable: try context.tool(named: "embed-queries").url,
            arguments: [output.path, folder.path],
            inputFiles: [folder] + files,
            outputFiles: [output])]
    }
}
