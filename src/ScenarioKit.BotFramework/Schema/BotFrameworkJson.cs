using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace ScenarioKit.BotFramework.Schema;

/// <summary>
/// The one serializer configuration for the wire (§1): camelCase, nulls left out, case-insensitive reads,
/// and Japanese (and every other script) written as UTF-8 rather than <c>\uXXXX</c> escapes.
/// </summary>
public static class BotFrameworkJson
{
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(BotFrameworkJsonContext.Default.Options)
        {
            Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        };
        options.MakeReadOnly(populateMissingResolver: false);
        return options;
    }

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>The same bytes as the generic overload, written by hand (<see cref="ActivityJsonWriter"/>): activities are written on every turn.</summary>
    public static byte[] SerializeToUtf8Bytes(Activity value) => ActivityJsonWriter.ToUtf8Bytes(value);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8) => JsonSerializer.Deserialize<T>(utf8, Options);

    public static T? Deserialize<T>(JsonElement element) => element.Deserialize<T>(Options);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(ActivitySet))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ConversationReference))]
[JsonSerializable(typeof(List<Activity>))]
[JsonSerializable(typeof(DirectLine.DirectLineConversation))]
[JsonSerializable(typeof(DirectLine.TokenRequest))]
[JsonSerializable(typeof(Authentication.ClientCredentialsTokenProvider.TokenEndpointResponse))]
internal sealed partial class BotFrameworkJsonContext : JsonSerializerContext;
