using System.CommandLine;

namespace ScenarioKit.Cli.Commands;

/// <summary>
/// <c>--db</c>, shared by <c>serve</c> and the tools (<c>agents</c>, <c>report</c>, <c>purge</c>) so all name the same file: the option
/// wins (<see cref="StoredConversations.Options"/>), else <c>ScenarioKit:DatabasePath</c> from serve's configuration sources, else <c>scenariokit.db</c> in the current folder.
/// </summary>
internal static class DatabaseOption
{
    public static Option<string?> Create() => new("--db")
    {
        Description = "SQLite file holding conversation state, transcripts, the handoff queue and agent accounts (default: ScenarioKit:DatabasePath from ./appsettings.json or ScenarioKit__DatabasePath, else scenariokit.db in the current folder).",
        HelpName = "file",
    };
}
