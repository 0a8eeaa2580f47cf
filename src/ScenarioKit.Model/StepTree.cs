using System.Collections.Immutable;

namespace ScenarioKit.Model;

/// <summary>Walks nested steps (<c>then</c>/<c>else</c>, an ask's <c>onFail</c>, a call's <c>onError</c>): one definition for the compiler's checks, the engine's step graph and test coverage.</summary>
public static class StepTree
{
    /// <summary>The steps directly nested in <paramref name="step"/>, in source order.</summary>
    public static IEnumerable<Step> Children(Step step) => step switch
    {
        IfStep i => i.Then.Concat(i.Else),
        AskStep a => a.OnFail,
        CallStep c => c.OnError,
        _ => [],
    };

    /// <summary>Every step, nested ones right after their parent (pre-order, source order).</summary>
    public static IEnumerable<Step> Descendants(IEnumerable<Step> steps)
    {
        foreach (var step in steps)
        {
            yield return step;
            foreach (var child in Descendants(Children(step))) yield return child;
        }
    }

    /// <summary>Every step of every flow of <paramref name="model"/>.</summary>
    public static IEnumerable<Step> AllSteps(this ScenarioModel model) => model.Flows.SelectMany(f => Descendants(f.Steps));
}
