using System.Collections.Immutable;
using ScenarioKit.Language.Syntax;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

internal sealed partial class Binder
{
    /// <summary><c>vocabulary: { 配送: [配達, お届け], refund: [money back] }</c>; the checks are in <see cref="VocabularyChecker"/>.</summary>
    ImmutableArray<VocabularyTerm> BindVocabulary(YamlNode? node)
    {
        if (node is null or ScalarNode { Kind: ScalarKind.Null } || Map(node, "vocabulary") is not { } m) return [];
        var result = ImmutableArray.CreateBuilder<VocabularyTerm>();
        foreach (var (key, value) in m.Entries)
        {
            var path = "vocabulary." + key.Value;
            if (Seq(value, path) is null) continue;
            var variants = StringNodes(m, key.Value, "vocabulary");
            c.Vocabulary.Add((key, variants));
            result.Add(new VocabularyTerm(key.Value, [.. variants.Select(v => v.Value)], key.Span));
        }
        return result.ToImmutable();
    }
}
