#!/usr/bin/env python3
"""make_pasted.py with clutter worded as other sites word it, to check that
the importer recognises clutter by its nature and not by the benchmark's
phrases. Same arguments and output (files + truth.json) as make_pasted.py:

    python3 benches/pasted_other_wording.py /tmp/other --count 200
    (cd SITE && wenku import /tmp/other --into content/imported)
    python3 ../shared/bench/check_pasted.py /tmp/other/truth.json SITE/content
"""
import os
import sys
from pathlib import Path

SHARED = Path(os.environ.get("WENKU_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
sys.path.insert(0, str(SHARED / "bench"))
import make_pasted  # noqa: E402

make_pasted.SITES = ["公文写作宝", "笔杆子文库", "稿子网", "机关写手", "范文之家", "文稿大师", "秘书工作室"]
make_pasted.BANNERS = [
    "{site}——您身边的公文写作专家",
    "★本文档由{site}用户分享，版权归原作者所有★",
    "下载地址：http://{dom}.net/doc/{n}",
    "如需定制材料，请添加微信{wx}（备注：材料）",
    "一次付费，终身免费更新",
    "～～～～～～～～～～～～～～",
    "【{site}】精品范文 | 每周更新 | 欢迎订阅",
    "温馨提示：本文内容仅供参考，请结合实际情况修改使用！",
    "声明：资料来源于网络，仅用于学习交流",
    "注册即送{n}积分，海量文档随心下",
    "______________________________",
]
make_pasted.AFTER_TITLE = [
    "发布者：{site}小编 | 发布日期：{y}-{m:02d}-{d:02d} | 阅读：{views}次",
    "作者：佚名  来源：{site}",
    "{site}独家整理 转发请保留出处",
    "本文档共{page}页，下载后可直接编辑使用",
]
make_pasted.FOOTERS = [
    "第 {page} 页 共 12 页",
    "{site}（www.{dom}.cn）",
    "— {page} —",
]
make_pasted.TAIL = [
    "【完】",
    "（本文完，喜欢请点赞收藏）",
    "文档下载后可任意编辑，如需帮助联系QQ{qq}",
    "猜你喜欢：",
    "{y}年党支部工作计划范文",
    "{y}年度个人述职报告（3篇）",
    "上一篇：{y}年上半年工作总结",
    "本文链接：http://www.{dom}.com/a/{n}.html",
]

if __name__ == "__main__":
    make_pasted.main()
