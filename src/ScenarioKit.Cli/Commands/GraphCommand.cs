using System.CommandLine;
using System.Text;
using ScenarioKit.Cli.Console;
using ScenarioKit.Cli.Graph;
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
            Description = "mermaid (a flowchart GitHub, VS Code and mermaid.live render) or dot (Graphviz: dot -Tsvg).",
            DefaultValueFactory = _ => "mermaid",
        };
        format.AcceptOnlyFromAmong("mermaid", "dot");
        var output = new Option<string?>("--output", "-o")
        {
            Description = "File to write (default: standard output).",
            HelpName = "file",
        };

        var command = new Command("graph", "Draw the scenario: journey stages and the events that enter them, proactive rules, every flow's steps with branches and jumps, handoff rules and queues.")
        {
            scenario, format, output,
        };
        HelpExamples.Set(command,
            "scenariokit graph scenarios/retail-support > flow.mmd",
            "scenariokit graph shop.skpkg --format dot -o flow.dot && dot -Tsvg flow.dot -o flow.svg");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, async () =>
        {
            var (package, exitCode) = ScenarioLoader.Load(context, result.GetRequiredValue(scenario), result.InvocationConfiguration.Error);
            if (package is null)
                return exitCode;

            var graph = FlowGraphBuilder.Build(package.Model);
            var text = result.GetRequiredValue(format) == "dot" ? DotWriter.Write(graph) : MermaidWriter.Write(graph);
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
