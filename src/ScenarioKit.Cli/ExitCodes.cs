namespace ScenarioKit.Cli;

/// <summary>The process exit codes every command uses (documented in README.md).</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Diagnostics with errors, failed tests, a conversation or server that stopped on an error.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong: unknown option, missing argument, a path that does not exist.</summary>
    public const int Usage = 2;
}
