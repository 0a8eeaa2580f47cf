using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Runtime.CompilerServices;

namespace ScenarioKit.Cli;

/// <summary>Examples shown at the end of a command's <c>--help</c>.</summary>
internal static class HelpExamples
{
    // Keyed weakly by command so the table never outlives the commands it describes (tests build many roots).
    static readonly ConditionalWeakTable<Command, string[]> Examples = [];

    public static void Set(Command command, params string[] examples) => Examples.AddOrUpdate(command, examples);

    public static IReadOnlyList<string> Get(Command command) => Examples.TryGetValue(command, out var e) ? e : [];
}

/// <summary>The default help, followed by the command's examples.</summary>
internal sealed class HelpWithExamplesAction(HelpAction inner) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = inner.Invoke(parseResult);
        var examples = HelpExamples.Get(parseResult.CommandResult.Command);
        if (examples.Count > 0)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
                output.WriteLine("  " + example);
            output.WriteLine();
        }
        return exitCode;
    }
}
