using ProjectExports.Imports;

namespace ProjectExports.Tests.Imports;

public sealed class DocumentPathTests
{
    [Fact]
    public void A_path_becomes_the_json_pointer_of_its_steps()
    {
        var state = DocumentPath.Root.Append("environments").Append(0).Append("feature_states").Append(12);

        Assert.Equal("", DocumentPath.Root.ToString());
        Assert.Equal("/environments/0/feature_states/12", state.ToString());
        Assert.Equal("/environments/0/feature_states/12/a~1b~0c", state.Append("a/b~c").ToString());
        Assert.Equal("/environments/0/feature_states/12", state.ToString());
    }
}
