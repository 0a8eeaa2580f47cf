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

        var command = new Command("serve", "Run the Bot Framework protocol server: POST /api/messages, Direct Line 3.0 under /v3/directline, a Web Chat playground at /, /healthz and metrics. Other ASP.NET Core settings pass through, e.g. --ScenarioKit:DirectLineSecret=… or --MicrosoftAppId=….")
        {
            sources, urls, database, defaultScenario, allowRemote,
        };
        // Unknown --key=value tokens are ASP.NET Core configuration (the ScenarioKit section, MicrosoftAppId, Logging…).
        command.TreatUnmatchedTokensAsErrors = false;
        HelpExamples.Set(command,
            "scenariokit serve scenarios/retail-support",
            "scenariokit serve out --urls http://127.0.0.1:5000 --db /var/lib/scenariokit/state.db",
            "scenariokit serve out --MicrosoftAppId=<id> --MicrosoftAppPassword=<secret> --ScenarioKit:DirectLineSecret=<secret>");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, async () =>
        {
            var given = result.GetRequiredValue(sources);
            if (given.FirstOrDefault(p => !File.Exists(p) && !Directory.Exists(p)) is { } missing)
                return CommandGuard.Usage(context, $"{missing} does not exist.");
            // A per-request log line drowns the terminal; the user's own --Logging:… settings come later and win.
            var hostArgs = new List<string> { "--Logging:LogLevel:Microsoft.AspNetCore=Warning" };
            hostArgs.AddRange(result.UnmatchedTokens);
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
                });
            }
            catch (ScenarioSourceException e)
            {
                return CommandGuard.Fail(context, e.Message);
            }

            await using (server)
            {
                try
                {
                    await server.StartAsync(ct);
                }
                catch (ScenarioSourceException e)
                {
                    return CommandGuard.Fail(context, e.Message);
                }
                foreach (var url in server.Urls)
                    context.Out.MarkupLine($"[green]Listening[/] on {url.ToString().EscapeMarkup()}  [dim](playground {url.ToString().TrimEnd('/').EscapeMarkup()}/, bot endpoint /api/messages, Direct Line /v3/directline)[/]");
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
}
