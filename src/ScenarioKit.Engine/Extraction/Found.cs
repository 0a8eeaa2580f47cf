namespace ScenarioKit.Engine.Extraction;

/// <summary>A value found inside customer text: where it stands (in the text passed in) and what it means.</summary>
internal readonly record struct Found<T>(int Start, int Length, T Value);
