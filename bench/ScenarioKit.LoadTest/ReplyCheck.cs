using System.Text.Json;

namespace ScenarioKit.LoadTest;

/// <summary>
/// reference.js checkTurn() in one forward pass over an <c>expectReplies</c> body: the texts of the non-trace replies
/// in order (an event as <c>&lt;name&gt;</c>), the first turn's three suggested actions, the handoff event's order
/// number and transcript. Reads with <see cref="Utf8JsonReader"/> rather than building a document: the check runs
/// for every turn in the load generator's process, whose CPU the server's figures include.
/// </summary>
static class ReplyCheck
{
    /// <summary>Null when <paramref name="body"/> answers turn <paramref name="turn"/> (0-based) as <paramref name="expectedTexts"/> say.</summary>
    public static string? Check(int turn, ReadOnlySpan<byte> body, string[] expectedTexts)
    {
        Reply first = default;
        var texts = new List<string?>(2);
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "the body is not a JSON object";
            var found = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isActivities = reader.ValueTextEquals("activities"u8);
                reader.Read();
                if (!isActivities || reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                found = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    var reply = Reply.Read(ref reader);
                    if (reply.Type == "trace") continue;
                    if (texts.Count == 0) first = reply;
                    texts.Add(reply.Type == "event" ? $"<{reply.Name}>" : reply.Text);
                }
            }
            if (!found) return "the body has no activities";
        }
        catch (JsonException e)
        {
            return "the body is not valid JSON: " + e.Message;
        }
        if (!texts.SequenceEqual(expectedTexts)) return $"expected [{string.Join(" | ", expectedTexts)}], got [{string.Join(" | ", texts)}]";
        if (turn == 0 && first.Actions != 3) return "expected three suggested actions";
        if (turn == 4)
        {
            if (first.OrderNumber != "12345678") return "handoff value.orderNumber must be 12345678";
            if (first.TranscriptEntries != 10) return "handoff value.transcript must hold 10 entries";
        }
        return null;
    }

    /// <summary>What the check needs of one activity; the reader ends on its EndObject.</summary>
    record struct Reply(string? Type, string? Text, string? Name, int Actions, string? OrderNumber, int TranscriptEntries)
    {
        public static Reply Read(ref Utf8JsonReader reader)
        {
            var reply = new Reply(null, null, null, -1, null, -1);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8)) reply.Type = NextString(ref reader);
                else if (reader.ValueTextEquals("text"u8)) reply.Text = NextString(ref reader);
                else if (reader.ValueTextEquals("name"u8)) reply.Name = NextString(ref reader);
                else if (reader.ValueTextEquals("suggestedActions"u8)) ReadObject(ref reader, ref reply, static (ref r, ref reply) =>
                {
                    if (r.ValueTextEquals("actions"u8)) reply.Actions = CountNext(ref r);
                    else Skip(ref r);
                });
                else if (reader.ValueTextEquals("value"u8)) ReadObject(ref reader, ref reply, static (ref r, ref reply) =>
                {
                    if (r.ValueTextEquals("orderNumber"u8)) reply.OrderNumber = NextString(ref r);
                    else if (r.ValueTextEquals("transcript"u8)) reply.TranscriptEntries = CountNext(ref r);
                    else Skip(ref r);
                });
                else Skip(ref reader);
            }
            return reply;
        }

        delegate void Property(ref Utf8JsonReader reader, ref Reply reply);

        // On a property name whose value may be an object: calls property for each of its properties (on the name).
        static void ReadObject(ref Utf8JsonReader reader, ref Reply reply, Property property)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName) property(ref reader, ref reply);
        }

        static string? NextString(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.String) return reader.GetString();
            reader.Skip();
            return null;
        }

        // On a property name: the number of elements of its array value (-1 if not an array).
        static int CountNext(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return -1;
            }
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                count++;
                reader.Skip();
            }
            return count;
        }

        static void Skip(ref Utf8JsonReader reader)
        {
            reader.Read();
            reader.Skip();
        }
    }
}
