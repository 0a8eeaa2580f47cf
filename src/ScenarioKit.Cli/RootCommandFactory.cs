using System.CommandLine;
using System.CommandLine.Help;
using ScenarioKit.Cli.Commands;
using ScenarioKit.Cli.Console;

namespace ScenarioKit.Cli;

internal static class RootCommandFactory
{
    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand(
            "ScenarioKit: write customer-support chatbot scenarios in YAML, check them, test them, chat with them and serve them over the Bot Framework protocol.");

        // One line per command; each factory owns its arguments, options, help examples and action.
        root.Subcommands.Add(NewCommand.Create(context));
        root.Subcommands.Add(ValidateCommand.Create(context));
        root.Subcommands.Add(BuildCommand.Create(context));
        root.Subcommands.Add(ChatCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(GraphCommand.Create(context));
        root.Subcommands.Add(TestCommand.Create(context));
        root.Subcommands.Add(AgentsCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(PurgeCommand.Create(context));

        HelpExamples.Set(root,
            "scenariokit new shop-support --locale ja-JP",
            "scenariokit validate shop-support",
            "scenariokit build shop-support -o out",
            "scenariokit chat shop-support",
            "scenariokit graph shop-support > flow.mmd");
        InstallExamplesInHelp(root);
        return root;
    }

    static void InstallExamplesInHelp(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction defaultHelp)
                help.Action = new HelpWithExamplesAction(defaultHelp);
        }
    }
}
