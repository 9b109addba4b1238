#pragma once
// A strict little XML parser for the tests of rbig report: it checks that a document is
// well-formed (one root, every tag closed in order, attributes quoted and not repeated, only the
// five predefined and numeric character references, no '<' in text or attributes) and returns
// the element tree, so that tests can find sections, count plots and read table cells.

#include <map>
#include <string>
#include <vector>

namespace rbig::cli_test {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<XmlElement> children;  // elements, in document order
  std::string text;                  // all text inside, descendants' included, entities decoded
};

/// The root element of the document; throws std::runtime_error naming the byte offset and the
/// problem when the text is not well-formed XML. A leading <!DOCTYPE …>, comments and processing
/// instructions are skipped.
XmlElement parse_xml(const std::string& text);

/// Every element with this name at or below `root`, in document order.
std::vector<const XmlElement*> find_all(const XmlElement& root, const std::string& name);
/// The element with this id attribute at or below `root`, or null.
const XmlElement* find_by_id(const XmlElement& root, const std::string& id);

}  // namespace rbig::cli_test
