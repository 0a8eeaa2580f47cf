using System.Collections.Immutable;
using ScenarioKit.Model;
using ScenarioKit.Testing.Definitions;
using ScenarioKit.Testing.Diagnostics;

namespace ScenarioKit.Testing.Syntax;

internal static partial class TestFileReader
{
    /// <summary>
    /// Reads a mocks file (<c>serve --mocks</c>): a mapping with only <c>mocks:</c>, read by the same code as a
    /// test file's mocks, so the file is also a fixture a test can <c>include</c>. Null when it has errors.
    /// </summary>
    internal static ImmutableArray<MockDefinition>? ReadMocksFile(string path, DiagnosticBag diagnostics)
    {
        if (LoadMapping(path, "a mocks file is a mapping with 'mocks' (action → { returns | fails, delayMs, with })", diagnostics, out var file) is not { } map) return null;
        CheckKeys(map, "a mocks file", ["mocks"], diagnostics);
        var mocks = new List<MockDefinition>();
        if (map["mocks"] is { } node) ReadMocks(node, mocks, diagnostics);
        else diagnostics.Add(TestDiagnostics.MissingKey, new SourceSpan(file, 1, 1, 1, 1), "the mocks file", "mocks");
        return diagnostics.HasErrors ? null : [.. mocks];
    }
}
