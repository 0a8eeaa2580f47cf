using ScenarioKit.Engine;
using ScenarioKit.Model;
using Spectre.Console;

namespace ScenarioKit.Cli.Chat;

/// <summary>
/// Scripted chat (stdin redirected): one fact per line with a fixed prefix (<c>you:</c>, <c>bot:</c>,
/// <c>suggestions:</c>, <c>agent:</c>, <c>handoff:</c>, <c>hub:</c>, <c>ticket:</c>, <c>state:</c>, <c>var:</c>, <c>explain:</c>,
/// <c>note:</c>), no colour, no prompt,
/// so a run can be diffed and grepped. Multi-line messages continue on lines indented by five spaces.
/// </summary>
internal sealed class PlainChatView(IAnsiConsole output, IAnsiConsole error, string? displayRoot = null) : IChatView
{
    const string Continuation = "     ";

    public void Intro(PackageManifest manifest, IReadOnlyCollection<string> mockedActions, DateTimeOffset? clock)
    {
        output.WriteLine($"note: {manifest.Id} {manifest.Version} ({manifest.Locale})");
        if (mockedActions.Count > 0) output.WriteLine("note: mocked actions: " + string.Join(", ", mockedActions));
        if (clock is { } c) output.WriteLine("note: clock starts at " + InstantText.Format(c));
    }

    public void Prompt() { }

    public void Echo(string line) => output.WriteLine("you: " + line);

    public void Message(BotMessage message)
    {
        Lines("bot: ", message.Text);
        if (!message.Suggestions.IsDefaultOrEmpty)
            output.WriteLine("suggestions: " + string.Join("  ", message.Suggestions.Select((s, i) => $"[{i + 1}] {s}")));
    }

    public void Handoff(HandoffDecision decision) => output.WriteLine("handoff: " + ChatText.Handoff(decision));

    public void Agent(string text) => Lines("agent: ", text);

    public void Ticket(Ticket ticket) => output.WriteLine("ticket: " + ChatText.Ticket(ticket));

    public void Hub(string text) => output.WriteLine("hub: " + text);

    void Lines(string prefix, string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        output.WriteLine(prefix + lines[0]);
        foreach (var line in lines.Skip(1))
            output.WriteLine(Continuation + line);
    }

    public void RuntimeError(RuntimeError runtimeError) => error.WriteLine("warning: " + ChatText.Describe(runtimeError, displayRoot));

    public void Notice(string text) => output.WriteLine("note: " + text);

    public void Invalid(string text) => error.WriteLine("error: " + text);

    public void State(ConversationState state, ScenarioModel model)
    {
        output.WriteLine("state: " + string.Join("; ", ChatText.StateFields(state).Select(f => f.Name + " " + f.Value)));
        foreach (var variable in model.Variables)
        {
            var value = state.Variables.TryGetValue(variable.Name, out var v) ? ChatText.Value(v) : "(unset)";
            output.WriteLine($"var: {variable.Name} = {value}");
        }
    }

    public void Explanation(IReadOnlyList<(string Label, string Value)> lines)
    {
        foreach (var (label, value) in lines)
            output.WriteLine($"explain: {label}: {value}");
    }

    public void Help()
    {
        foreach (var line in ChatText.HelpLines)
            output.WriteLine("note: " + line);
    }
}
