using System.Text.Json;
using System.Text.Json.Serialization;
using ScenarioKit.BotFramework.Schema;

namespace ScenarioKit.BotFramework.DirectLine;

/// <summary>The Direct Line 3.0 Conversation object (§4.1); <c>expires_in</c> is in seconds.</summary>
public sealed record DirectLineConversation
{
    public string? ConversationId { get; init; }
    public string? Token { get; init; }

    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }

    public string? StreamUrl { get; init; }
    public string? ReferenceGrammarId { get; init; }
    public string? ETag { get; init; }
}

/// <summary>Body of <c>tokens/generate</c> and of a conversation start: <c>{"user":{"id","name"},"trustedOrigins":[]}</c>.</summary>
public sealed record TokenRequest
{
    public ChannelAccount? User { get; init; }
    public IReadOnlyList<string>? TrustedOrigins { get; init; }
    public string? Locale { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
