using System.Xml.Linq;
using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Storage.PostgreSql;
using ScenarioKit.Storage;
using ScenarioKit.Storage.PostgreSql;
using ScenarioKit.Tests.Shared;

namespace ScenarioKit.Cli.Tests.Issues;

/// <summary>
/// Issue 14, "everything the server keeps goes there": the tools that read what serve stored (report, graph's traffic,
/// purge) find it in PostgreSQL through the same <c>ScenarioKit__Storage__*</c> settings the nodes use. Real processes,
/// so the settings come from the environment as an operator sets them.
/// </summary>
public sealed class Issue14_ToolsOnPostgresTests(PostgresTestServer postgres) : IDisposable
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sk-pg-tools-");

    public void Dispose() => _directory.Delete(recursive: true);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Report_graph_traffic_and_purge_read_the_conversations_the_nodes_stored_in_PostgreSQL()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using (var store = new PostgresConversationStore(database))
            await TurnLogDatabase.WriteAsync(store, DateTimeOffset.UtcNow.AddHours(-2), TurnLogDatabase.ReferenceMix());
        var environment = new Dictionary<string, string?>
        {
            ["ScenarioKit__Storage__Provider"] = "postgres",
            ["ScenarioKit__Storage__ConnectionString"] = database,
        };

        var report = await CliProcess.RunAsync("", environment, "report", "-o", _directory.FullName, "--format", "json", "--no-mask");
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains("5 conversations", report.Stdout, StringComparison.Ordinal);
        Assert.Contains("order_status", await File.ReadAllTextAsync(Path.Combine(_directory.FullName, "report.json"), Ct), StringComparison.Ordinal);
        await using (var hub = new PostgresHubStore(database))
            Assert.Contains(await hub.ReadAuditAsync(new AuditQuery(), Ct), a => a.Action == AuditActions.ReportUnmasked);

        var graph = await CliProcess.RunAsync("", environment, "graph", Scenarios.Reference, "--format", "svg", "--traffic");
        Assert.True(graph.ExitCode == 0, graph.ToString());
        var svg = XDocument.Parse(graph.Stdout);
        Assert.Equal("reached 4 · retried 1 · dropped 2 (50%)", svg.Descendants(Svg + "g")
            .Single(g => (string?)g.Attribute("data-ref") == "step:order_status/0")
            .Elements(Svg + "text").Single(t => (string?)t.Attribute("class") == "traffic").Value);

        var purge = await CliProcess.RunAsync("", environment, "purge", "--older-than", "1h");
        Assert.True(purge.ExitCode == 0, purge.ToString());
        Assert.Contains("Deleted 5 conversations, 8 turns and 0 activities older than", purge.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", purge.Stdout, StringComparison.OrdinalIgnoreCase);
        await using (var store = new PostgresConversationStore(database))
        {
            await foreach (var turn in store.ReadTurnsAsync(new TurnLogQuery(), Ct))
                Assert.Fail($"turn {turn.Key}/{turn.Turn} was not purged");
        }
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_is_an_error_that_names_the_server_but_not_the_password()
    {
        var environment = new Dictionary<string, string?>
        {
            ["ScenarioKit__Storage__Provider"] = "postgres",
            ["ScenarioKit__Storage__ConnectionString"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=bot;Password=s3cret-word;Timeout=3",
        };
        var run = await CliProcess.RunAsync("", environment, "purge", "--older-than", "90d");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-word", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }
}
