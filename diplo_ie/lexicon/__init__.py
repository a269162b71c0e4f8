"""What assembly knows of the world: countries, titles, dated office holders (data: ``diplo_ie/data/``)."""
