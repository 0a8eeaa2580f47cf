using System.CommandLine;
using ScenarioKit.Server.Hosting;

namespace ScenarioKit.Cli.Commands;

/// <summary>
/// <c>--db</c>, shared by <c>serve</c> and <c>agents</c> so both name the same file: the option wins, else
/// <c>ScenarioKit:DatabasePath</c> from serve's configuration sources, else <c>scenariokit.db</c> in the current folder.
/// </summary>
internal static class DatabaseOption
{
    public static Option<string?> Create() => new("--db")
    {
        Description = "SQLite file holding conversation state, transcripts, the handoff queue and agent accounts (default: ScenarioKit:DatabasePath from ./appsettings.json or ScenarioKit__DatabasePath, else scenariokit.db in the current folder).",
        HelpName = "file",
    };

    /// <summary>The full path of the database <c>serve</c> would open with the same <c>--db</c> and configuration.</summary>
    public static string Resolve(string? given) =>
        Path.GetFullPath(given ?? ScenarioServer.ReadOptions([]).DatabasePath);
}
