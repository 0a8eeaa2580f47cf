using System.CommandLine;
using ScenarioKit.Cli.Console;
using ScenarioKit.Server.Hosting;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var sources = new Argument<string[]>("sources")
        {
            Description = "Scenario folders (compiled at start), .skpkg packages, or folders of packages (rescanned, so a newer version can be deployed while running).",
            Arity = ArgumentArity.OneOrMore,
        };
        var urls = new Option<string?>("--urls")
        {
            Description = $"Addresses to listen on, ';'-separated (default {ScenarioServerOptions.DefaultUrl}, or ASPNETCORE_URLS).",
            HelpName = "urls",
        };
        var database = DatabaseOption.Create();
        var defaultScenario = new Option<string?>("--default-scenario")
        {
            Description = "Scenario id for conversations whose request names none (default: the only, or first, scenario).",
            HelpName = "id",
        };
        var allowRemote = new Option<bool>("--allow-remote")
        {
            Description = "Accept callers other than this machine while no app id or Direct Line secret is configured (development only).",
        };

        var mocks = MockOptions.Values();
        var mocksFile = MockOptions.File();

        var command = new Command("serve", "Run the Bot Framework protocol server: POST /api/messages, Direct Line 3.0 under /v3/directline, a Web Chat playground at /, /healthz and metrics. Other ASP.NET Core settings pass through, e.g. --ScenarioKit:DirectLineSecret=… or --MicrosoftAppId=….")
        {
            sources, urls, database, defaultScenario, allowRemote, mocks, mocksFile,
        };
        // Unknown --key=value tokens are ASP.NET Core configuration (the ScenarioKit section, MicrosoftAppId, Logging…).
        command.TreatUnmatchedTokensAsErrors = false;
        HelpExamples.Set(command,
            "scenariokit serve scenarios/retail-support --mocks scenarios/retail-support/demo.mocks.yaml",
            "scenariokit serve out --urls http://127.0.0.1:5000 --db /var/lib/scenariokit/state.db",
            "scenariokit serve out --MicrosoftAppId=<id> --MicrosoftAppPassword=<secret> --ScenarioKit:DirectLineSecret=<secret>");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, async () =>
        {
            // A per-request log line drowns the terminal; the user's own --Logging:… settings come later and win.
            var hostArgs = new List<string> { "--Logging:LogLevel:Microsoft.AspNetCore=Warning" };
            var given = new List<string>();
            if (SplitSettings([.. result.GetRequiredValue(sources), .. result.UnmatchedTokens], given, hostArgs) is { } wrong)
                return CommandGuard.Usage(context, wrong);
            if (given.Count == 0)
                return CommandGuard.Usage(context, "serve needs a scenario folder, a .skpkg package or a folder of packages.");
            if (given.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p)) is { } missing)
                return CommandGuard.Usage(context, $"{missing} does not exist.");
            var mocked = MockOptions.Read(context, result.GetValue(mocks) ?? [], result.GetValue(mocksFile), out var mockExit);
            if (mocked is null)
                return mockExit;
            if (result.GetValue(urls) is { } u)
                hostArgs.AddRange(["--urls", u]);

            ScenarioServer server;
            try
            {
                server = ScenarioServer.Create([.. hostArgs], options =>
                {
                    foreach (var source in given)
                        options.Sources.Add(source);
                    if (result.GetValue(database) is { } db) options.DatabasePath = db;
                    if (result.GetValue(defaultScenario) is { } id) options.DefaultScenario = id;
                    if (result.GetValue(allowRemote)) options.AllowRemote = true;
                    if (mocked.Actions.Count > 0)
                        options.Mocks = new ActionMocks(mocked.Actions, real => mocked.Wrap(real, TimeProvider.System, MockOptions.PrintProblem(context)));
                });
            }
            catch (Exception e) when (IsStartupFailure(e))
            {
                return CommandGuard.Fail(context, e.Message);
            }

            await using (server)
            {
                try
                {
                    await server.StartAsync(ct);
                }
                catch (Exception e) when (IsStartupFailure(e))
                {
                    return CommandGuard.Fail(context, e.Message);
                }
                foreach (var url in server.Urls)
                    context.Out.MarkupLine($"[green]Listening[/] on {url.ToString().EscapeMarkup()}  [dim](playground {url.ToString().TrimEnd('/').EscapeMarkup()}/, bot endpoint /api/messages, Direct Line /v3/directline)[/]");
                if (mocked.Actions.Count > 0)
                    context.Out.MarkupLine($"[yellow]Mocked actions[/] (answered without calling them): {string.Join(", ", mocked.Actions).EscapeMarkup()}");
                context.Out.MarkupLine("[dim]Ctrl+C stops the server.[/]");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                }
                await server.StopAsync(CancellationToken.None);
            }
            context.Out.MarkupLine("Stopped.");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Why the server could not be built or started, in a message meant for the operator (reported in one line).</summary>
    static bool IsStartupFailure(Exception e) =>
        e is ScenarioSourceException or StorageStartupException or ListenAddressException or ServerSettingsException;

    /// <summary>Top-level configuration keys <c>serve</c> passes through besides <c>Section:Key</c> ones (case-insensitive, as configuration is).</summary>
    static readonly string[] TopLevelSettings = ["MicrosoftAppId", "MicrosoftAppPassword", "environment"];

    /// <summary>
    /// Separates configuration settings from sources. System.CommandLine gives an unknown <c>--Section:Key=value</c>
    /// (and both tokens of <c>--Section:Key value</c>) to the sources argument, so settings are picked out here,
    /// in ASP.NET Core's command-line forms. Returns why the tokens are not usable, or null.
    /// </summary>
    internal static string? SplitSettings(IReadOnlyList<string> tokens, List<string> sources, List<string> settings)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                sources.Add(token);
                continue;
            }
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? token[2..] : token[2..eq];
            if (key.Length == 0 || (!key.Contains(':', StringComparison.Ordinal) && !TopLevelSettings.Contains(key, StringComparer.OrdinalIgnoreCase)))
                return $"{token} is not an option of serve; settings pass through as --Section:Key=value (e.g. --ScenarioKit:DirectLineSecret=…) or --MicrosoftAppId=….";
            if (eq >= 0)
            {
                settings.Add(token);
                continue;
            }
            if (i + 1 >= tokens.Count)
                return $"{token} needs a value: {token}=value or {token} value.";
            settings.Add(token);
            settings.Add(tokens[++i]);
        }
        return null;
    }
}
