namespace ScenarioKit.Engine;

/// <summary>Why the hub cannot return a conversation to the bot as asked; <see cref="Code"/> is stable, the texts are for people.</summary>
public sealed record HandbackError(string Code, string Name, string English, string Japanese)
{
    public const string UnknownFlow = "unknownFlow";
    public const string UnknownVariable = "unknownVariable";
    public const string WrongType = "wrongType";
    public const string NotInEnum = "notInEnum";

    public override string ToString() => English;
}
