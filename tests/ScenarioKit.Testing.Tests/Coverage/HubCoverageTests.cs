using System.Text.Json;
using Spectre.Console.Testing;
using ScenarioKit.Testing.Coverage;
using ScenarioKit.Testing.Running;
using ScenarioKit.Testing.Tests.Running;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Coverage;

/// <summary>
/// Coverage of the agent hub's paths (the waiting notice, <c>handoff.onTimeout</c>) and of each
/// <c>ticket</c> step (issue 9), so QA sees whether the tests reached them.
/// </summary>
public class HubCoverageTests
{
    static readonly string HubSuite = Paths.Fixture("hub", "tests", "hub.test.yaml");

    static async Task<ScenarioCoverage> CoverageAsync(string? filter = null)
    {
        var report = await ScenarioTestRunnerTests.Run(HubSuite, new TestRunOptions { Filter = filter });
        Assert.True(report.Failed == 0 && report.Errors == 0, ScenarioTestRunnerTests.Describe(report));
        return Assert.Single(report.Coverage.Scenarios);
    }

    static (string Name, int Hits, string File, int Line)[] Items(ScenarioCoverage c, CoverageKind kind) =>
        [.. c[kind].Items.Select(i => (i.Name, i.Hits, Path.GetFileName(i.Span.File), i.Span.Line))];

    [Fact]
    public async Task The_waiting_notice_the_timeout_path_and_each_ticket_step_are_counted_with_their_yaml_lines()
    {
        var c = await CoverageAsync();

        // waiting: sent at each of the three handoffs and once more when the first customer wrote while waiting.
        // onTimeout: once, when the second test waited past maxWait.
        Assert.Equal([("waiting", 4, "scenario.yaml", 53), ("onTimeout", 1, "scenario.yaml", 55)], Items(c, CoverageKind.HubPaths));
        Assert.Equal([("callback_request/1", 1, "scenario.yaml", 31)], Items(c, CoverageKind.Tickets));
    }

    [Fact]
    public async Task A_run_that_never_times_out_or_records_a_ticket_shows_them_unreached()
    {
        var c = await CoverageAsync("*担当者が戻す*");

        // waiting: at the handoff and again when the customer wrote while waiting.
        Assert.Equal([("waiting", 2), ("onTimeout", 0)], c[CoverageKind.HubPaths].Items.Select(i => (i.Name, i.Hits)));
        Assert.Equal(0, c[CoverageKind.Tickets].Reached);

        var json = JsonDocument.Parse(CoverageWriters.ToJson(new CoverageReport([c]))).RootElement.GetProperty("scenarios")[0];
        var hub = json.GetProperty("hubPaths");
        Assert.Equal((2, 1, 50.0), (hub.GetProperty("total").GetInt32(), hub.GetProperty("reached").GetInt32(), hub.GetProperty("percent").GetDouble()));
        var onTimeout = hub.GetProperty("items")[1];
        Assert.Equal(("onTimeout", 0, 55), (onTimeout.GetProperty("name").GetString(), onTimeout.GetProperty("hits").GetInt32(), onTimeout.GetProperty("line").GetInt32()));
        Assert.EndsWith("hub/scenario.yaml", onTimeout.GetProperty("file").GetString(), StringComparison.Ordinal);
        var ticket = json.GetProperty("tickets").GetProperty("items")[0];
        Assert.Equal(("callback_request/1", 0), (ticket.GetProperty("name").GetString(), ticket.GetProperty("hits").GetInt32()));

        var html = CoverageWriters.ToHtml(new CoverageReport([c]));
        Assert.Contains("<details open><summary>Hub paths: 1/2</summary>", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"miss\"><td><code>onTimeout</code></td><td>0</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"hit\"><td><code>waiting</code></td><td>2</td>", html, StringComparison.Ordinal);
        Assert.Contains("<details open><summary>Tickets: 0/1</summary>", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"miss\"><td><code>callback_request/1</code></td><td>0</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_table_has_hub_path_and_ticket_columns_and_names_what_was_not_reached()
    {
        var c = await CoverageAsync("*担当者が戻す*");
        var console = new TestConsole().Width(200);

        ScenarioKit.Testing.Reporting.ConsoleReporter.WriteCoverage(console, new CoverageReport([c]));

        Assert.Contains("Hub paths", console.Output, StringComparison.Ordinal);
        Assert.Contains("Tickets", console.Output, StringComparison.Ordinal);
        Assert.Contains("fixture-hub: hub paths not reached: onTimeout", console.Output, StringComparison.Ordinal);
        Assert.Contains("fixture-hub: tickets not reached: callback_request/1", console.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tests_in_channel_mode_never_reach_the_hub_paths()
    {
        // Without a queue or agent step no hub answers: the handoff gets no waiting notice.
        using var dir = new TempDirectory();
        var scenario = Paths.Fixture("hub", "scenario.yaml").Replace("\\", "/", StringComparison.Ordinal);
        var path = dir.Write("channel.test.yaml", $$"""
            scenario: {{scenario}}
            tests:
              - name: channel handoff
                steps:
                  - user: 担当者と話したい
                  - bot: 担当者におつなぎします。
                  - handoff: { queue: support }
            """);

        var report = await ScenarioTestRunnerTests.Run(path);

        Assert.Equal(1, report.Passed);
        Assert.Equal(0, Assert.Single(report.Coverage.Scenarios)[CoverageKind.HubPaths].Reached);
    }

    [Fact]
    public async Task A_scenario_that_cannot_hand_off_has_no_hub_paths()
    {
        using var dir = new TempDirectory();
        dir.Write("s.yaml", """
            scenarioKit: 1
            id: no-handoff
            version: 1.0.0
            locale: en-US
            intents:
              hello:
                examples: ["hello", "hi there", "good morning"]
            flows:
              hello:
                trigger: { intent: hello }
                steps:
                  - say: "Hi!"
            """);
        var path = dir.Write("s.test.yaml", "scenario: s.yaml\ntests:\n  - name: hi\n    steps:\n      - user: hello\n      - bot: Hi!\n");

        var report = await ScenarioTestRunnerTests.Run(path);

        var c = Assert.Single(report.Coverage.Scenarios);
        Assert.Equal((0, 100.0), (c[CoverageKind.HubPaths].Total, c[CoverageKind.HubPaths].Percent));
        Assert.Equal(0, c[CoverageKind.Tickets].Total);
    }

    [Fact]
    public void Json_names_and_titles_cover_every_kind_once()
    {
        var kinds = Enum.GetValues<CoverageKind>();
        Assert.Equal(kinds.Length, kinds.Select(CoverageWriters.JsonName).Distinct().Count());
        Assert.Equal(kinds.Length, kinds.Select(CoverageWriters.Title).Distinct().Count());
        Assert.Equal(("hubPaths", "Hub paths"), (CoverageWriters.JsonName(CoverageKind.HubPaths), CoverageWriters.Title(CoverageKind.HubPaths)));
        Assert.Equal(("tickets", "Tickets"), (CoverageWriters.JsonName(CoverageKind.Tickets), CoverageWriters.Title(CoverageKind.Tickets)));
    }
}
