using System.CommandLine;
using System.Text;
using ScenarioKit.Cli.Console;
using ScenarioKit.Cli.Graph;
using ScenarioKit.Cli.Graph.Picture;
using ScenarioKit.Insight.Traffic;
using ScenarioKit.Model;
using ScenarioKit.Storage;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

internal static class GraphCommand
{
    public static Command Create(CliContext context)
    {
        var scenario = new Argument<string>("scenario")
        {
            Description = "A scenario folder, a scenario .yaml file, or a built .skpkg package.",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "mermaid (a flowchart GitHub, VS Code and mermaid.live render), dot (Graphviz: dot -Tsvg), svg (a picture, laid out here) or html (the picture in one offline page with a legend, pan and zoom).",
            DefaultValueFactory = _ => "mermaid",
        };
        format.AcceptOnlyFromAmong("mermaid", "dot", "svg", "html");
        var output = new Option<string?>("--output", "-o")
        {
            Description = "File to write (default: standard output).",
            HelpName = "file",
        };
        var database = new Option<string?>("--db")
        {
            Description = "SQLite database of a server (scenariokit serve --db): nodes and edges show how often conversations reached them and where they went quiet (svg and html only).",
            HelpName = "file",
        };
        var traffic = new Option<bool>("--traffic")
        {
            Description = "Draw traffic from the database serve uses (ScenarioKit:Storage:* from ./appsettings.json or ScenarioKit__ environment variables: the SQLite file, or PostgreSQL), as --db does for a named file.",
        };
        var version = new Option<string?>("--scenario-version")
        {
            Description = "With --db or --traffic: count only conversations that ran this package version (default: every version of the scenario).",
            HelpName = "version",
        };

        var command = new Command("graph", "Draw the scenario: journey stages and the events that enter them, proactive rules, every flow's steps with branches and jumps, handoff rules and queues.")
        {
            scenario, format, output, database, traffic, version,
        };
        HelpExamples.Set(command,
            "scenariokit graph scenarios/retail-support > flow.mmd",
            "scenariokit graph shop.skpkg --format dot -o flow.dot && dot -Tsvg flow.dot -o flow.svg",
            "scenariokit graph scenarios/retail-support --format html -o flow.html",
            "scenariokit graph scenarios/retail-support --format html --db scenariokit.db -o traffic.html",
            "ScenarioKit__Storage__Provider=postgres ScenarioKit__Storage__ConnectionString=… scenariokit graph shop.skpkg --format html --traffic -o traffic.html");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, async () =>
        {
            var formatName = result.GetRequiredValue(format);
            var databasePath = result.GetValue(database);
            var withTraffic = databasePath is not null || result.GetValue(traffic);
            if (withTraffic && formatName is "mermaid" or "dot")
                return CommandGuard.Usage(context, "--db and --traffic draw traffic on the picture: use them with --format svg or html.");

            var (package, exitCode) = ScenarioLoader.Load(context, result.GetRequiredValue(scenario), result.InvocationConfiguration.Error);
            if (package is null)
                return exitCode;

            var graph = FlowGraphBuilder.Build(package.Model);
            string text;
            if (formatName is "mermaid" or "dot")
            {
                text = formatName == "dot" ? DotWriter.Write(graph) : MermaidWriter.Write(graph);
            }
            else
            {
                TrafficOverlay? overlay = null;
                if (withTraffic)
                {
                    var exit = await StoredConversations.RunAsync(context, StoredConversations.Options(databasePath), async store =>
                    {
                        var counted = await TrafficCounter.CountAsync(store.Turns, new TurnLogQuery(package.Model.Id, result.GetValue(version)), TimeProvider.System.GetUtcNow(), TrafficCounter.DefaultQuietAfter, ct);
                        overlay = TrafficOverlay.Create(graph, counted);
                        return ExitCodes.Success;
                    });
                    if (exit != ExitCodes.Success) return exit;
                }
                var svg = SvgWriter.Write(graph, DiagramLayout.Compute(graph), overlay);
                text = formatName == "svg" ? svg : HtmlWriter.Write(graph, svg, overlay, package.Model.Locale);
            }

            if (result.GetValue(output) is { } path)
            {
                await File.WriteAllTextAsync(path, text, new UTF8Encoding(false), ct);
                context.Out.MarkupLine($"Wrote {path.EscapeMarkup()} ({graph.Nodes.Length} nodes, {graph.Edges.Length} edges)");
            }
            else
            {
                await result.InvocationConfiguration.Output.WriteAsync(text);
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
