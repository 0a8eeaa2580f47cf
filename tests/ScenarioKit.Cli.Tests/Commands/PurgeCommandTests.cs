using ScenarioKit.Cli.Commands;
using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Storage;

namespace ScenarioKit.Cli.Tests.Commands;

public sealed class PurgeCommandTests : IDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sk-purge-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Purge_deletes_what_is_older_than_the_age_and_says_how_much()
    {
        var old = TurnLogDatabase.ReferenceMix()[..2];
        var db = await TurnLogDatabase.WriteAsync(_directory.FullName, DateTimeOffset.UtcNow.AddDays(-120), old);
        // A recent conversation in the same file stays.
        await TurnLogDatabase.WriteAsync(_directory.FullName, DateTimeOffset.UtcNow.AddDays(-1), ("recent", TurnLogDatabase.ReferenceMix()[0].Item2));

        var run = await CliHarness.RunAsync("purge", "--older-than", "90d", "--db", db);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("Deleted 2 conversations, 4 turns and 0 activities older than", run.Out, StringComparison.Ordinal);
        await using var store = new SqliteConversationStore(db);
        var left = new List<string>();
        await foreach (var turn in store.ReadTurnsAsync(new TurnLogQuery(), TestContext.Current.CancellationToken))
            left.Add(turn.Key);
        Assert.Equal(["recent", "recent"], left);
        Assert.Null(await store.GetAsync("answered", TestContext.Current.CancellationToken));
        Assert.NotNull(await store.GetAsync("recent", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("90d", 90 * 24)]
    [InlineData("4w", 28 * 24)]
    [InlineData("36h", 36)]
    public void Ages_parse(string text, int hours) => Assert.Equal(TimeSpan.FromHours(hours), PurgeCommand.ParseAge(text));

    [Theory]
    [InlineData("90")]
    [InlineData("0d")]
    [InlineData("-5d")]
    [InlineData("90 days")]
    [InlineData("９０d")]
    public async Task A_bad_age_is_a_usage_error(string text)
    {
        Assert.Null(PurgeCommand.ParseAge(text));
        var run = await CliHarness.RunAsync("purge", "--older-than", text, "--db", Path.Combine(_directory.FullName, "x.db"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--older-than", run.Error, StringComparison.Ordinal);
    }
}
