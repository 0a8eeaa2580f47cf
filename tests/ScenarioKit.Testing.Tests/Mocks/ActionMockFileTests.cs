using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Engine;
using ScenarioKit.Language;
using ScenarioKit.Model;
using ScenarioKit.Testing.Mocks;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Mocks;

/// <summary><c>serve --mocks</c> files: the test runner's mock format, read and played by the same code (issue 10 item 7).</summary>
public sealed class ActionMockFileTests
{
    public static TheoryData<string> Samples() =>
        [.. Directory.GetDirectories(Path.Combine(Paths.Root, "scenarios")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Each_sample_ships_demo_mocks_that_read_clean_and_name_its_own_actions(string sample)
    {
        var folder = Path.Combine(Paths.Root, "scenarios", sample);
        var (file, diagnostics) = ActionMockFile.Read(Path.Combine(folder, "demo.mocks.yaml"));
        var compiled = ScenarioCompiler.Compile(folder);

        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics));
        Assert.NotNull(file);
        Assert.NotNull(compiled.Package);
        var actions = compiled.Package.Model.Actions.Select(a => a.Name).ToHashSet();
        Assert.All(file.Actions, a => Assert.Contains(a, actions));
        // Every action that would call a real API is mocked, so the demo never reaches a placeholder host.
        Assert.All(compiled.Package.Model.Actions.Where(a => a.Http is not null), a => Assert.Contains(a.Name, file.Actions));
    }

    static string Write(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), "scenariokit-tests", Guid.NewGuid().ToString("N") + ".mocks.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    static readonly SourceSpan Nowhere = new("actions.yaml", 1, 1, 1, 1);

    static ActionDef Http(string name, int timeoutMs = 0) =>
        new(name, new HttpAction(HttpMethodKind.Get, new Template("https://x.example", [], Nowhere), [], null, timeoutMs, 0, null, Nowhere), null, Nowhere);

    [Fact]
    public async Task Mocks_play_as_in_tests_on_the_given_clock_and_other_actions_are_really_called()
    {
        var (file, diagnostics) = ActionMockFile.Read(Write("""
            mocks:
              lookupOrder: [ { returns: 発送済み, with: { number: "12345678" } }, { fails: HTTP 503 } ]
              slow: { returns: 1, delayMs: 2000 }
              timesOut: { returns: 1, delayMs: 5000 }
            """));
        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics));
        var time = new FakeTimeProvider();
        var problems = new List<string>();
        var real = MockActionInvoker.Returning(new Dictionary<string, JsonNode?> { ["other"] = "real" });
        var invoker = file!.CreateInvoker(real, time, problems.Add);
        var ct = TestContext.Current.CancellationToken;

        var wrongNumber = await invoker.InvokeAsync(Http("lookupOrder"), new Dictionary<string, JsonNode?> { ["number"] = "87654321" }, ct);
        var second = await invoker.InvokeAsync(Http("lookupOrder"), new Dictionary<string, JsonNode?> { ["number"] = "12345678" }, ct);
        var other = await invoker.InvokeAsync(Http("other"), new Dictionary<string, JsonNode?>(), ct);
        var slow = invoker.InvokeAsync(Http("slow"), new Dictionary<string, JsonNode?>(), ct).AsTask();
        var timesOut = invoker.InvokeAsync(Http("timesOut", timeoutMs: 3000), new Dictionary<string, JsonNode?>(), ct).AsTask();
        Assert.False(slow.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(3000));

        Assert.False(wrongNumber.Succeeded);
        Assert.Equal("action 'lookupOrder' was called with other arguments than its mock expects (number: expected \"12345678\", got \"87654321\"): expected lookupOrder({\"number\":\"12345678\"}), got lookupOrder(number: \"87654321\")", Assert.Single(problems));
        Assert.Equal("failed: HTTP 503", second.ToString());
        Assert.Equal("ok \"real\"", other.ToString());
        Assert.Equal("ok 1", (await slow).ToString());
        Assert.Equal("failed: action 'timesOut' timed out after 3000 ms", (await timesOut).ToString());
    }

    [Theory]
    [InlineData("tests: []\n", "SK5004", "SK5003")]
    [InlineData("mocks: [lookupOrder]\n", "SK5005", null)]
    [InlineData("mocks:\n  lookupOrder: { returns: 1, fails: x }\n", "SK5005", null)]
    [InlineData("- mocks\n", "SK5005", null)]
    public void A_broken_mocks_file_gets_the_test_runners_diagnostics(string yaml, string id, string? alsoId)
    {
        var (file, diagnostics) = ActionMockFile.Read(Write(yaml));

        Assert.Null(file);
        Assert.Contains(diagnostics, d => d.Id == id);
        if (alsoId is not null) Assert.Contains(diagnostics, d => d.Id == alsoId);
    }
}
