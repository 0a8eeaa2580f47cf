using System.Text.Json.Serialization;

namespace ScenarioKit.Insight.Outcomes;

/// <summary>
/// What became of a conversation or an intent episode (docs/insight.md defines each, beside Copilot Studio's terms).
/// <see cref="Ongoing"/> is not an outcome yet: the session has been quiet for less than the session timeout.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Outcome>))]
public enum Outcome { Contained, Escalated, Abandoned, Unengaged, Ongoing }
