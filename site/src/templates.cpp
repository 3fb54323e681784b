#include "templates.hpp"

#include "resources.hpp"
#include "zcb/error.hpp"

namespace zcb::site::detail {
namespace {

constexpr std::string_view kPartialPrefix = "templates/partials/";
constexpr std::string_view kSuffix = ".mustache";

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::string render_template(std::string_view name, const kainjow::mustache::data& data) {
  // Partials live in the root context as data of type "partial", named after their file.
  kainjow::mustache::data context = data;
  for (const Resource& file : resources()) {
    if (file.name.substr(0, kPartialPrefix.size()) != kPartialPrefix ||
        !ends_with(file.name, kSuffix)) {
      continue;
    }
    const std::string partial(file.name.substr(
        kPartialPrefix.size(), file.name.size() - kPartialPrefix.size() - kSuffix.size()));
    if (context.get(partial) != nullptr) {
      throw Error("site page data uses the key \"" + partial + "\", which names a partial");
    }
    const std::string text(file.content);
    context.set(partial, kainjow::mustache::partial([text] { return text; }));
  }
  const std::string path = "templates/" + std::string(name) + std::string(kSuffix);
  kainjow::mustache::mustache tmpl{std::string(resource(path))};
  if (!tmpl.is_valid()) {
    throw Error("site template " + path + ": " + tmpl.error_message());
  }
  std::string html = tmpl.render(context);
  if (!tmpl.is_valid()) {
    throw Error("site template " + path + " (or one of its partials): " + tmpl.error_message());
  }
  return html;
}

}  // namespace zcb::site::detail
