"""A tiny training set and a tiny random-encoder config that overfits it in seconds."""

RECORDS = [
    {
        "id": "w-1",
        "source": "written",
        "split": "train",
        "published": "2024-11-16",
        "text": "Chiều ngày 15/11, Thủ tướng Đức Olaf Scholz đã điện đàm với Tổng thống Nga Vladimir Putin. "
        "Cuộc điện đàm kéo dài một tiếng.",
        "spans": [
            ["d1", "DATE", "Chiều ngày 15/11"],
            ["t1", "TITLE", "Thủ tướng Đức"],
            ["l1", "LEADER", "Olaf Scholz"],
            ["c1", "CALL", "điện đàm"],
            ["t2", "TITLE", "Tổng thống Nga"],
            ["l2", "LEADER", "Vladimir Putin"],
            ["c2", "CALL", "Cuộc điện đàm"],
            ["u1", "DURATION", "một tiếng"],
        ],
        "events": [
            {
                "status": "occurred",
                "calls": ["c1", "c2"],
                "participants": [
                    {"name": "Olaf Scholz", "spans": ["t1", "l1"]},
                    {"name": "Vladimir Putin", "spans": ["t2", "l2"]},
                ],
                "date": {"value": "2024-11-15", "span": "d1"},
                "duration": {"minutes": 60, "span": "u1"},
            }
        ],
    },
    {
        "id": "w-2",
        "source": "written",
        "split": "train",
        "text": "Tổng thống Mỹ Joe Biden sẽ điện đàm với Chủ tịch Trung Quốc Tập Cận Bình vào tuần tới.",
        "spans": [
            ["t1", "TITLE", "Tổng thống Mỹ"],
            ["l1", "LEADER", "Joe Biden"],
            ["c1", "CALL", "điện đàm"],
            ["t2", "TITLE", "Chủ tịch Trung Quốc"],
            ["l2", "LEADER", "Tập Cận Bình"],
            ["d1", "DATE", "tuần tới"],
        ],
        "events": [
            {
                "status": "planned",
                "calls": ["c1"],
                "participants": [
                    {"name": "Joe Biden", "spans": ["t1", "l1"]},
                    {"name": "Tập Cận Bình", "spans": ["t2", "l2"]},
                ],
                "date": {"value": None, "span": "d1"},
            }
        ],
    },
    {
        "id": "w-3",
        "source": "written",
        "split": "dev",
        "text": "Thủ tướng Anh Keir Starmer gặp Tổng thống Pháp Emmanuel Macron hôm 3/2 tại Paris.",
        "spans": [
            ["t1", "TITLE", "Thủ tướng Anh"],
            ["l1", "LEADER", "Keir Starmer"],
            ["t2", "TITLE", "Tổng thống Pháp"],
            ["l2", "LEADER", "Emmanuel Macron"],
            ["d1", "DATE", "hôm 3/2"],
        ],
    },
]

TINY_CONFIG = {
    "seed": 7,
    "data": {"train_splits": ["train", "dev"]},
    "model": {
        "encoder": "random",
        "encoder_config": {
            "hidden_size": 48,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 96,
        },
        "tokenizer": "train-from-data",
        "tokenizer_vocab_size": 400,
        "encoding": {"max_length": 64, "stride": 16},
        "heads": {"span_dim": 32, "hidden_dim": 32, "distance_dim": 8, "dropout": 0.0},
    },
    "training": {
        "epochs": 40,
        "batch_size": 8,
        "learning_rate": 0.005,
        "warmup_ratio": 0.0,
        "early_stopping_patience": 1000,
    },
}
