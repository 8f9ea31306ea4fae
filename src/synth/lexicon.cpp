// Word lists for generated road and complex names (not in the divisions data).
#include <string_view>
#include <vector>

#include "mgeo/synth/address.h"

namespace mgeo::synth {

const std::vector<std::string_view>& road_stems() {
  static const std::vector<std::string_view> v = {
      "建国", "人民", "解放", "中山", "文三", "张江", "体育西", "长江", "黄河", "和平",
      "胜利", "幸福", "光明", "新华", "朝阳", "东风", "青年", "学院", "科技", "创业",
      "复兴", "南京", "北京", "延安", "淮海", "长安", "湖滨", "滨江", "沿江", "环城",
      "迎宾", "友谊", "团结", "民主", "工业", "建设", "发展", "振兴", "繁荣", "文化",
      "育才", "金融", "商业", "高新", "软件", "世纪", "滨海", "香山", "翠湖", "西湖",
      "东湖", "南湖", "莲花", "桂花", "梧桐", "银杏", "紫荆", "丁香", "玉兰", "文昌",
      "文明", "健康", "红旗", "跃进", "前进", "向阳", "曙光", "春晖", "天府", "锦江",
      "珠江", "湘江", "汉江", "府前", "新民", "安居", "石桥", "龙华", "凤凰", "金沙",
      "银河", "星光", "泰山", "华山", "庐山", "黄山", "衡山", "嵩山", "文一西", "天目山",
      "学府", "公园", "车站", "站前", "北环", "南环", "花港", "双龙", "清河", "万寿"};
  return v;
}

const std::vector<std::string_view>& road_directions() {
  static const std::vector<std::string_view> v = {"东", "西", "南", "北", "中"};
  return v;
}

const std::vector<std::string_view>& road_suffixes() {
  static const std::vector<std::string_view> v = {"路", "街", "大道", "巷", "道"};
  return v;
}

const std::vector<std::string_view>& complex_prefixes() {
  static const std::vector<std::string_view> v = {
      "万塘", "阳光", "金地", "华润", "绿地", "保利", "万科", "碧桂园", "世纪", "国际",
      "恒大", "龙湖", "融创", "中海", "招商", "金色", "锦绣", "翡翠", "东方", "明珠",
      "君悦", "星河", "天安", "汇金", "银泰", "鼎盛", "嘉禾", "富力", "新城", "远洋",
      "金茂", "海岸", "御景", "名都", "怡景", "春江", "紫金", "润泽", "云顶", "未来",
      "数码", "创新", "时代", "环球", "财富", "凯旋", "宏达", "蓝湾", "香榭", "丽景"};
  return v;
}

const std::vector<std::string_view>& office_suffixes() {
  static const std::vector<std::string_view> v = {"大厦", "广场", "中心", "写字楼", "SOHO",
                                                  "商务楼", "科技园", "国际中心", "金融中心"};
  return v;
}

const std::vector<std::string_view>& home_suffixes() {
  static const std::vector<std::string_view> v = {"花园", "小区", "公寓", "家园", "苑",
                                                  "城", "府", "山庄", "新村", "雅苑"};
  return v;
}

bool stem_has_direction(int stem) {
  const std::string_view s = road_stems().at(static_cast<std::size_t>(stem));
  for (std::string_view d : road_directions()) {
    if (s.size() >= d.size() && s.substr(s.size() - d.size()) == d) return true;
  }
  return false;
}

}  // namespace mgeo::synth
